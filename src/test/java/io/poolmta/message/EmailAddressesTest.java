package io.poolmta.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressesTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "jane@example.com",
                "jane.doe+news@mail.example.co.uk",
                "o'brien@example.ie",
                "x@a-b.example",
                "\"john doe\"@example.com",
                "\"odd\\\"quote\"@example.com",
                "user@[192.0.2.1]",
                "user@[IPv6:2001:db8::1]",
                "josé@example.com",
                "用户@example.cn"
            })
    void validAddressesAreAcceptedAsTheyAre(String address) {
        Mailbox mailbox = EmailAddresses.parse(address);
        assertThat(mailbox.address()).isEqualTo(address);
        assertThat(mailbox.displayName()).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "Jane Doe <jane@example.com>|Jane Doe|jane@example.com",
                "\"Doe, Jane\" <jane@example.com>|Doe, Jane|jane@example.com",
                "  Jane   <jane@example.com>  |Jane|jane@example.com",
                "Dr. Who <who@example.com>|Dr. Who|who@example.com",
                "=?UTF-8?B?SsOkbmU=?= <jane@example.com>|=?UTF-8?B?SsOkbmU=?=|jane@example.com",
                "Jäne Døe <jane@example.com>|Jäne Døe|jane@example.com",
                "<jane@example.com>||jane@example.com",
                "jane@example.com (Jane)||jane@example.com"
            })
    void displayNameFormsYieldTheAddrSpec(String text, String displayName, String address) {
        Mailbox mailbox = EmailAddresses.parse(text);
        assertThat(mailbox.address()).isEqualTo(address);
        assertThat(mailbox.displayName()).isEqualTo(Optional.ofNullable(displayName));
        assertThat(EmailAddresses.envelopeAddress(text, "FromEmailAddress")).isEqualTo(address);
    }

    @Test
    void anInternationalDomainBecomesItsAsciiForm() {
        Mailbox mailbox = EmailAddresses.parse("Hans <hans@bücher.example>");
        assertThat(mailbox.address()).isEqualTo("hans@xn--bcher-kva.example");
        assertThat(mailbox.domain()).isEqualTo("xn--bcher-kva.example");
        assertThat(mailbox.localPart()).isEqualTo("hans");
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "plain|has no '@'",
                "jane@localhost|must contain a dot",
                "@example.com|local part",
                "jane@|domain is missing",
                "jane@@example.com|contains '@'",
                ".jane@example.com|dot",
                "jane.@example.com|dot",
                "ja..ne@example.com|dot",
                "jane doe@example.com|must be quoted",
                "jane@exa mple.com|letters, digits and inner hyphens",
                "jane@-example.com|letters, digits and inner hyphens",
                "jane@exam_ple.com|letters, digits and inner hyphens",
                "jane@example..com|dot",
                "jane@example.com.|dot",
                "jane@192.0.2.1|brackets",
                "jane@[999.0.2.1]|not an IPv4 address",
                "jane@[IPv6:zz::1]|not an IPv6 address",
                "jane@[192.0.2.1|not of the form",
                "Jane <jane@example.com|not of the form",
                "Jane <jane@example.com> trailing|not of the form",
                "a@example.com, b@example.com|more than one address",
                "team: a@example.com;|groups are not allowed",
                "\"unclosed@example.com|not of the form",
                "ja\"ne@example.com|not of the form"
            })
    void invalidAddressesAreBadRequestsNamingTheAddress(String address, String reason) {
        assertThatThrownBy(() -> EmailAddresses.parse(address, "Destination.ToAddresses[0]"))
                .isInstanceOfSatisfying(PoolMtaException.class, e -> {
                    assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
                    assertThat(e.getMessage())
                            .startsWith("Invalid email address '")
                            .contains("in Destination.ToAddresses[0]")
                            .contains(reason);
                });
        assertThat(EmailAddresses.isValid(address)).isFalse();
    }

    @Test
    void emptyOrBlankIsRejected() {
        assertThatThrownBy(() -> EmailAddresses.parse("  ", "FromEmailAddress"))
                .isInstanceOf(PoolMtaException.class)
                .hasMessage("Email address in FromEmailAddress must not be empty.");
        assertThatThrownBy(() -> EmailAddresses.parse(null)).isInstanceOf(PoolMtaException.class);
    }

    @Test
    void lengthLimitsHold() {
        String local64 = "a".repeat(64);
        String domain = "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63) + "." + "e".repeat(57) + ".com";
        assertThat(domain).hasSize(253);
        assertThat(EmailAddresses.parse(local64 + "@" + domain).address()).hasSize(318);

        assertThatThrownBy(() -> EmailAddresses.parse("a".repeat(65) + "@example.com"))
                .hasMessageContaining("longer than 64 octets");
        assertThatThrownBy(() -> EmailAddresses.parse("é".repeat(33) + "@example.com"))
                .hasMessageContaining("longer than 64 octets");
        assertThatThrownBy(() -> EmailAddresses.parse("jane@" + "x".repeat(64) + ".com"))
                .hasMessageContaining("longer than 63 characters");
        assertThatThrownBy(() -> EmailAddresses.parse("jane@" + "x.".repeat(130) + "com"))
                .hasMessageContaining("longer than 253 characters");
        assertThatThrownBy(() -> EmailAddresses.parse("a".repeat(64) + "@" + "b.".repeat(128) + "com"))
                .hasMessageContaining("longer than 320 characters");
    }

    @Test
    void theErrorEchoesTheAddressWithoutControlCharacters() {
        assertThatThrownBy(() -> EmailAddresses.parse("bad\u0007addr"))
                .hasMessageStartingWith("Invalid email address 'bad?addr'");
    }

    @Test
    void mailboxesCannotBeMadeInvalidByHand() {
        assertThatThrownBy(() -> new Mailbox(Optional.empty(), "nope")).isInstanceOf(PoolMtaException.class);
        assertThatThrownBy(() -> new Mailbox(Optional.of("Evil\r\nBcc: x@example.com"), "jane@example.com"))
                .isInstanceOf(PoolMtaException.class)
                .hasMessageContaining("line breaks");
        assertThat(new Mailbox(Optional.of(" "), "jane@example.com").displayName())
                .isEmpty();
        assertThat(Mailbox.of("Jane <jane@example.com>")).hasToString("Jane <jane@example.com>");
    }

    @Test
    void hostLabelsAreCheckedAsTheLabelRegexWould() {
        Pattern label = Pattern.compile("[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
        String alphabet = "aZ09-_.é";
        Random random = new Random(3);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(i % 10 == 0 ? 70 : 6); k > 0; k--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            assertThat(EmailAddresses.isLabel(text.toString()))
                    .as("'%s'", text)
                    .isEqualTo(label.matcher(text).matches());
        }
    }
}
