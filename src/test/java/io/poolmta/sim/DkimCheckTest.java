package io.poolmta.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.identity.DkimSigner;
import io.poolmta.testing.TestKeys;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The simulated receivers' DKIM check, against PoolMTA's signer (itself checked with dkimpy). */
class DkimCheckTest {
    private final KeyPair key = TestKeys.rsa1024();
    private final DkimSigner signer = new DkimSigner("acme.demo", "sel1", key.getPrivate(), Clock.systemUTC());
    private final Map<String, String> dns = Map.of(
            "sel1._domainkey.acme.demo",
            "v=DKIM1; k=rsa; p="
                    + Base64.getEncoder().encodeToString(key.getPublic().getEncoded()));

    private static final String MESSAGE = "From: Hello <hello@acme.demo>\r\n"
            + "To: user@gmail.demo\r\n"
            + "Subject:  folded\r\n and   spaced\r\n"
            + "Message-ID: <1@acme.demo>\r\n"
            + "\r\n"
            + "Body  line \r\n"
            + ".dot\r\n"
            + "\r\n\r\n";

    private DkimCheck.Result check(String message) {
        return DkimCheck.verify(
                message.getBytes(StandardCharsets.ISO_8859_1), name -> Optional.ofNullable(dns.get(name)));
    }

    @Test
    void aSignedMessageVerifiesAndAChangedOneDoesNot() {
        String signed = signer.sign(MESSAGE.getBytes(StandardCharsets.US_ASCII)) + MESSAGE;
        assertThat(check(signed)).isEqualTo(DkimCheck.Result.PASS);
        // relaxed: trailing whitespace and blank lines at the end do not matter
        assertThat(check(signed.replace("Body  line \r\n", "Body line\r\n") + "\r\n"))
                .isEqualTo(DkimCheck.Result.PASS);
        assertThat(check(signed.replace("Body", "Bodies"))).isEqualTo(DkimCheck.Result.FAIL);
        assertThat(check(signed.replace("Subject:  folded", "Subject:  changed")))
                .isEqualTo(DkimCheck.Result.FAIL);
        assertThat(check(signed.replace("From: Hello", "From: Eve\r\nFrom: Hello")))
                .isEqualTo(DkimCheck.Result.FAIL);
        assertThat(check(signed.replace("s=sel1", "s=sel2"))).isEqualTo(DkimCheck.Result.FAIL);
        assertThat(check(MESSAGE)).isEqualTo(DkimCheck.Result.NONE);
    }
}
