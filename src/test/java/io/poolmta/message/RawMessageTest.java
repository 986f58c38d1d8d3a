package io.poolmta.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class RawMessageTest {
    private static final String MESSAGE_ID =
            "<010001973d2f9a3b-6f1e0c2a-8a0b-4c3d-9e8f-0a1b2c3d4e5f-000000@mail.poolmta.test>";
    private static final Instant NOW = Instant.parse("2025-06-03T10:15:30Z");

    private static final String HEAD = "From: Jane <jane@example.com>\r\n"
            + "To: bob@example.org\r\n"
            + "Subject: Hi\r\n"
            + "Message-ID: <abc@client.example>\r\n"
            + "Date: Mon, 2 Jun 2025 08:00:00 +0000\r\n";
    private static final String BODY = "\r\nHello Bob,\r\n\r\nsee you.\r\n";

    @Test
    void theConfigurationSetHeaderIsReadAndRemovedLeavingEveryOtherByte() {
        String input = "From: Jane <jane@example.com>\r\n"
                + "X-SES-CONFIGURATION-SET: marketing\r\n"
                + "To: bob@example.org\r\nSubject: Hi\r\nMessage-ID: <abc@client.example>\r\n"
                + "Date: Mon, 2 Jun 2025 08:00:00 +0000\r\n" + BODY;

        RawMessage raw = parse(input);

        assertThat(raw.configurationSet()).contains("marketing");
        assertThat(text(raw)).isEqualTo(HEAD + BODY);
        assertThat(raw.size()).isEqualTo(input.length() - "X-SES-CONFIGURATION-SET: marketing\r\n".length());
    }

    @Test
    void aFoldedLowerCaseConfigurationSetHeaderIsUnfoldedAndTrimmed() {
        RawMessage raw = parse("x-ses-configuration-set:\r\n \t transactional  \r\n" + HEAD + BODY);

        assertThat(raw.configurationSet()).contains("transactional");
        assertThat(text(raw)).isEqualTo(HEAD + BODY);
    }

    @Test
    void aMessageWithoutConfigurationSetHeaderHasNone() {
        RawMessage raw = parse(HEAD + BODY);
        assertThat(raw.configurationSet()).isEmpty();
        assertThat(text(raw)).isEqualTo(HEAD + BODY);
        assertThat(parse("X-SES-CONFIGURATION-SET:   \r\n" + HEAD + BODY).configurationSet())
                .isEmpty();
    }

    @Test
    void twoDifferentConfigurationSetsAreABadRequestButARepeatIsFine() {
        assertThatThrownBy(() -> parse("X-SES-CONFIGURATION-SET: a\r\nX-SES-CONFIGURATION-SET: b\r\n" + HEAD + BODY))
                .isInstanceOf(PoolMtaException.class)
                .hasMessageContaining("more than one configuration set");
        assertThat(parse("X-SES-CONFIGURATION-SET: a\r\nx-ses-configuration-set: a\r\n" + HEAD + BODY)
                        .configurationSet())
                .contains("a");
    }

    @Test
    void messageTagsAreParsedAndRemoved() {
        RawMessage raw = parse(HEAD + "X-SES-MESSAGE-TAGS: campaign=spring, segment = vip,\r\n  source=crm\r\n"
                + "X-Ses-Message-Tags: extra=1\r\n" + BODY);

        assertThat(raw.tags())
                .containsExactly(
                        new MessageTag("campaign", "spring"),
                        new MessageTag("segment", "vip"),
                        new MessageTag("source", "crm"),
                        new MessageTag("extra", "1"));
        assertThat(text(raw)).isEqualTo(HEAD + BODY);
    }

    @Test
    void malformedMessageTagsAreABadRequest() {
        assertThatThrownBy(() -> parse(HEAD + "X-SES-MESSAGE-TAGS: campaign\r\n" + BODY))
                .isInstanceOfSatisfying(
                        PoolMtaException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST))
                .hasMessageContaining("'campaign' is not of the form name=value");
        assertThatThrownBy(() -> parse(HEAD + "X-SES-MESSAGE-TAGS: bad name=x\r\n" + BODY))
                .isInstanceOf(PoolMtaException.class)
                .hasMessageContaining("Message tag name 'bad name'");
        assertThatThrownBy(() -> parse(HEAD + "X-SES-MESSAGE-TAGS: a=b c\r\n" + BODY))
                .isInstanceOf(PoolMtaException.class)
                .hasMessageContaining("of message tag a");
    }

    @Test
    void bccIsReportedAndRemovedFromTheDeliveredBytes() {
        RawMessage raw = parse(
                HEAD + "Bcc: secret@example.com,\r\n Other <other@example.com>,\r\n third@example.com\r\n" + BODY);

        assertThat(raw.addresses().bcc())
                .containsExactly("secret@example.com", "other@example.com", "third@example.com");
        assertThat(text(raw)).isEqualTo(HEAD + BODY);
        assertThat(raw.addresses().recipients())
                .containsExactly("bob@example.org", "secret@example.com", "other@example.com", "third@example.com");
    }

    @Test
    void messageIdAndDateAreAddedAtTheEndOfTheHeaderWhenMissing() {
        String head = "From: jane@example.com\r\nTo: bob@example.org\r\nSubject: Hi\r\n";

        RawMessage raw = parse(head + BODY);

        assertThat(text(raw))
                .isEqualTo(head + "Message-ID: " + MESSAGE_ID + "\r\n" + "Date: Tue, 3 Jun 2025 10:15:30 +0000\r\n"
                        + BODY);
    }

    @Test
    void messageIdAndDateAreKeptWhenPresentWhateverTheirCase() {
        String head = "From: jane@example.com\r\nmessage-id: <mine@client>\r\nDATE: Mon, 2 Jun 2025 08:00:00 +0000\r\n";
        assertThat(text(parse(head + BODY))).isEqualTo(head + BODY);
        String onlyDate = "From: jane@example.com\r\nDate: Mon, 2 Jun 2025 08:00:00 +0000\r\n";
        assertThat(text(parse(onlyDate + BODY))).isEqualTo(onlyDate + "Message-ID: " + MESSAGE_ID + "\r\n" + BODY);
    }

    @Test
    void bareLineFeedsAreNormalisedToCrlf() {
        String lfOnly = "From: jane@example.com\nX-SES-CONFIGURATION-SET: lf\nTo: bob@example.org\nMessage-ID: <m@c>\n"
                + "Date: Mon, 2 Jun 2025 08:00:00 +0000\n\nline one\nline two\n";

        RawMessage raw = parse(lfOnly);

        assertThat(raw.configurationSet()).contains("lf");
        assertThat(text(raw))
                .isEqualTo("From: jane@example.com\r\nTo: bob@example.org\r\nMessage-ID: <m@c>\r\n"
                        + "Date: Mon, 2 Jun 2025 08:00:00 +0000\r\n\r\nline one\r\nline two\r\n");
        MimeBuilderTest.assertCanonical(raw.bytes());
        assertThat(text(parse("From: a@example.com\r\nDate: x\nMessage-ID: <m@c>\r\n\nbody\r\nmore\n")))
                .isEqualTo("From: a@example.com\r\nDate: x\r\nMessage-ID: <m@c>\r\n\r\nbody\r\nmore\r\n");
    }

    @Test
    void eightBitBodiesAndHeadersPassUntouched() {
        ByteArrayOutputStream input = new ByteArrayOutputStream();
        input.writeBytes((HEAD
                        + "X-Note: Grüße\r\nX-SES-CONFIGURATION-SET: cs\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 1, '\r', 'x', (byte) 0x80};
        input.writeBytes(binary);

        RawMessage raw = RawMessage.parse(input.toByteArray(), MESSAGE_ID, NOW);

        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        expected.writeBytes((HEAD + "X-Note: Grüße\r\nContent-Type: application/octet-stream\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        expected.writeBytes(binary);
        assertThat(raw.bytes()).isEqualTo(expected.toByteArray());
    }

    @Test
    void aMessageWithoutHeaderBodySeparatorIsABadRequest() {
        for (String input : List.of("From: jane@example.com\r\nSubject: no body\r\n", "From: jane@example.com", "")) {
            assertThatThrownBy(() -> parse(input))
                    .isInstanceOfSatisfying(
                            PoolMtaException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST))
                    .hasMessage("Raw message has no header/body separator");
        }
    }

    @Test
    void aMessageWithoutHeaderFieldsIsABadRequest() {
        assertThatThrownBy(() -> parse("\r\nJust a body\r\n"))
                .isInstanceOf(PoolMtaException.class)
                .hasMessageContaining("no header fields");
        assertThatThrownBy(() -> parse("Hello Bob,\r\n\r\nsee you.\r\n"))
                .isInstanceOf(PoolMtaException.class)
                .hasMessageContaining("line 1 is in the header section but is not a header field: 'Hello Bob,'");
        assertThatThrownBy(() -> parse(" folded: first\r\nFrom: a@example.com\r\n\r\nx"))
                .isInstanceOf(PoolMtaException.class)
                .hasMessageContaining("folded line");
        assertThatThrownBy(() -> parse("From: a@example.com\r\n: no name\r\n\r\nx"))
                .isInstanceOf(PoolMtaException.class)
                .hasMessageContaining("line 2");
    }

    @Test
    void obsoleteSpaceBeforeTheColonIsStillAField() {
        RawMessage raw = parse("Bcc : hidden@example.com\r\n" + HEAD + BODY);
        assertThat(raw.addresses().bcc()).containsExactly("hidden@example.com");
        assertThat(text(raw)).isEqualTo(HEAD + BODY);
    }

    @Test
    void overLongLinesAndOverSizedMessagesAreRejected() {
        assertThatThrownBy(() -> parse(HEAD + "\r\n" + "x".repeat(999) + "\r\n"))
                .isInstanceOfSatisfying(
                        PoolMtaException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.MESSAGE_REJECTED))
                .hasMessageContaining("Line 7");
        assertThat(parse(HEAD + "\r\n" + "x".repeat(998) + "\r\n").size()).isPositive();

        byte[] huge = new byte[RawMessage.MAX_SIZE + 1];
        assertThatThrownBy(() -> RawMessage.parse(huge, MESSAGE_ID, NOW))
                .isInstanceOfSatisfying(
                        PoolMtaException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.MESSAGE_REJECTED))
                .hasMessageContaining("40 MiB");
    }

    /** The line-length check (which skips most octets) against a line-by-line reading, near the limit. */
    @Test
    void lineLengthCheckAgreesWithALineByLineReading() {
        Random random = new Random(20261127);
        for (int round = 0; round < 2_000; round++) {
            ByteArrayOutputStream message = new ByteArrayOutputStream();
            message.writeBytes(HEAD.getBytes(StandardCharsets.UTF_8));
            message.writeBytes(new byte[] {'\r', '\n'});
            int lines = random.nextInt(5);
            for (int line = 0; line < lines; line++) {
                int length = random.nextInt(10) == 0 ? 990 + random.nextInt(15) : random.nextInt(100);
                for (int i = 0; i < length; i++) {
                    int pick = random.nextInt(200);
                    message.write(pick == 0 ? '\r' : pick == 1 ? '\n' : 'x'); // lone CR and LF do not end a line
                }
                if (line < lines - 1 || random.nextBoolean()) {
                    message.writeBytes(new byte[] {'\r', '\n'});
                }
            }
            byte[] bytes = message.toByteArray();
            int longLine = firstLongLine(bytes);
            if (longLine > 0) {
                assertThatThrownBy(() -> HeaderBlock.read(bytes))
                        .hasMessageContaining("Line " + longLine + " of the message");
            } else {
                assertThat(HeaderBlock.read(bytes).fields()).isNotEmpty();
            }
        }
    }

    /** Bare LFs become CRLF, and nothing else changes, on random mixes of CR, LF and text (the LF search skips text in words). */
    @Test
    void bareLineFeedsGetTheirCarriageReturnAndNothingElseChanges() {
        Random random = new Random(5322);
        for (int round = 0; round < 5_000; round++) {
            byte[] data = new byte[random.nextInt(60)];
            for (int i = 0; i < data.length; i++) {
                int pick = random.nextInt(10);
                data[i] = (byte) (pick == 0 ? '\r' : pick == 1 ? '\n' : pick == 2 ? 0x8a : 'x');
            }
            ByteArrayOutputStream expected = new ByteArrayOutputStream();
            for (int i = 0; i < data.length; i++) {
                if (data[i] == '\n' && (i == 0 || data[i - 1] != '\r')) {
                    expected.write('\r');
                }
                expected.write(data[i]);
            }
            byte[] result = RawMessage.withCrlf(data);
            assertThat(result).as(Arrays.toString(data)).isEqualTo(expected.toByteArray());
            if (expected.size() == data.length) {
                assertThat(result).isSameAs(data);
            }
        }
    }

    /** The number of the first line with more than 998 octets before its CRLF (or the end), or 0. */
    private static int firstLongLine(byte[] bytes) {
        int start = 0;
        int number = 1;
        for (int i = 0; i <= bytes.length; i++) {
            if (i == bytes.length || (bytes[i] == '\r' && i + 1 < bytes.length && bytes[i + 1] == '\n')) {
                if (i - start > 998) {
                    return number;
                }
                start = i + 2;
                number++;
                i++;
            }
        }
        return 0;
    }

    @Test
    void headerAddressesAreExtractedFromEveryFormOfAddressList() {
        RawMessage raw = parse("From: \"Doe, Jane\" <jane@example.com>\r\n"
                + "To: bob@example.org, \"Smith, Ann\" <ann@example.net>, (a comment) carl@example.com (Carl),\r\n"
                + "\tTeam: dev1@example.com, Dev Two <dev2@example.com>;, =?UTF-8?B?SsO2cmc=?= <joerg@example.de>,\r\n"
                + " José <josé@exämple.com>,, last@example.com\r\n"
                + "Cc: undisclosed-recipients:;,\r\n"
                + " <@relay.example,@other.example:routed@example.com>, \"quoted local\"@example.com\r\n"
                + "X-Other: x\r\n"
                + "Message-ID: <m@c>\r\nDate: Mon, 2 Jun 2025 08:00:00 +0000\r\n" + BODY);

        HeaderAddresses addresses = raw.addresses();
        assertThat(addresses.from()).containsExactly("jane@example.com");
        assertThat(addresses.to())
                .containsExactly(
                        "bob@example.org",
                        "ann@example.net",
                        "carl@example.com",
                        "dev1@example.com",
                        "dev2@example.com",
                        "joerg@example.de",
                        "josé@exämple.com",
                        "last@example.com");
        assertThat(addresses.cc()).containsExactly("routed@example.com", "\"quoted local\"@example.com");
        assertThat(addresses.bcc()).isEmpty();
    }

    @Test
    void addressListEntriesKeepTheirGroupAndDisplayNameUndecoded() {
        List<AddressList.Entry> entries = AddressList.parse(
                "=?UTF-8?B?SsO2cmc=?= <joerg@example.de>, Friends: \"A. B.\" <ab@example.com> (x);, garbage <");

        assertThat(entries)
                .containsExactly(
                        new AddressList.Entry(null, "=?UTF-8?B?SsO2cmc=?=", "joerg@example.de", true),
                        new AddressList.Entry("Friends", "A. B.", "ab@example.com", true),
                        new AddressList.Entry(null, "garbage", "", false));
    }

    @Test
    void aBareCrInTheHeaderSectionIsRejectedWhereverItIs() {
        List<String> smuggled = List.of(
                "From: jane@example.com\r\nSubject: x\rBcc: hidden@example.net\r\nTo: bob@example.org\r\n" + BODY,
                "From: jane@example.com\r\nSubject: x\r\rX-SES-CONFIGURATION-SET: other\r\n" + BODY,
                "From: jane@example.com\r\n\rBcc: hidden@example.net\r\n" + BODY,
                "From: jane@example.com\nSubject: x\rBcc: hidden@example.net\n\nbody\n",
                "From: jane@example.com\r\nTo: bob@example.org,\r\n\tcarl@example.com\r\r\n" + BODY,
                "From: jane@example.com\r\nSubject: at the end\r\r\n" + BODY);
        for (String input : smuggled) {
            assertThatThrownBy(() -> parse(input))
                    .as(input)
                    .isInstanceOfSatisfying(
                            PoolMtaException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.MESSAGE_REJECTED))
                    .hasMessageContaining("bare CR");
        }
    }

    @Test
    void aBareCrInTheBodyIsKeptAsItIs() {
        String input = HEAD + "\r\nline\rwith a CR\r\n";
        assertThat(text(parse(input))).isEqualTo(input);
    }

    @Test
    void exactlyOneFromIsRequired() {
        assertThatThrownBy(() -> parse("To: bob@example.org\r\nSubject: Hi\r\n" + BODY))
                .isInstanceOfSatisfying(
                        PoolMtaException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.MESSAGE_REJECTED))
                .hasMessage("The message has no From header field; RFC 5322 requires exactly one.");
        assertThatThrownBy(() -> parse("From: a@acme.test\r\nfrom: ceo@bank.test\r\n" + HEAD + BODY))
                .isInstanceOfSatisfying(
                        PoolMtaException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.MESSAGE_REJECTED))
                .hasMessage("The message has 3 From header fields; RFC 5322 requires exactly one.");
    }

    @Test
    void aSecondFieldOfAnOnceOnlyNameIsRejected() {
        for (String name : RawMessage.AT_MOST_ONCE) {
            String field = name + ": "
                    + (name.endsWith("To") || name.endsWith("c") || name.equals("Sender")
                            ? "x@example.com"
                            : "<v@example.com>")
                    + "\r\n";
            String head = "From: jane@example.com\r\n" + field;
            assertThat(parse(head + BODY).size()).as(name + " once").isPositive();
            assertThatThrownBy(() -> parse(head + field.toUpperCase(java.util.Locale.ROOT) + BODY))
                    .as(name + " twice")
                    .isInstanceOfSatisfying(
                            PoolMtaException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.MESSAGE_REJECTED))
                    .hasMessage("The message has 2 " + name + " header fields; RFC 5322 allows at most one.");
        }
        assertThat(parse(HEAD + "Received: from a\r\nReceived: from b\r\nComments: 1\r\nComments: 2\r\n"
                                + "Resent-From: r@example.com\r\nResent-From: s@example.com\r\n" + BODY)
                        .size())
                .as("fields RFC 5322 allows more than once")
                .isPositive();
    }

    /** Every Simple message PoolMTA builds passes the header rules it applies to Raw content. */
    @Test
    void simpleContentAlwaysPassesTheHeaderRules() {
        MimeBuilder mime = new MimeBuilder(java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC), "mail.poolmta.test");
        List<MessageHeader> custom = List.of(
                new MessageHeader("Sender", "s@example.com"),
                new MessageHeader("In-Reply-To", "<a@b>"),
                new MessageHeader("References", "<a@b> <c@d>"),
                new MessageHeader("X-Campaign", "one"),
                new MessageHeader("X-Campaign", "two"));
        java.util.Optional<Content> none = java.util.Optional.empty();
        List<SimpleMessage> messages = List.of(
                new SimpleMessage(
                        Mailbox.of("Jane <jane@example.com>"),
                        List.of(Mailbox.of("bob@example.org")),
                        List.of(),
                        List.of(),
                        Content.utf8("Hi"),
                        java.util.Optional.of(Content.utf8("t")),
                        none,
                        List.of(),
                        List.of()),
                new SimpleMessage(
                        Mailbox.of("\"Doe, Jane\" <jane@example.com>"),
                        List.of(Mailbox.of("a@example.org"), Mailbox.of("b@example.org")),
                        List.of(Mailbox.of("c@example.org")),
                        List.of(Mailbox.of("r1@example.com"), Mailbox.of("r2@example.com")),
                        Content.utf8("Grüße " + "lang ".repeat(40)),
                        none,
                        java.util.Optional.of(Content.utf8("<p>h</p>")),
                        custom,
                        List.of(new Attachment(
                                "a.txt",
                                null,
                                null,
                                java.util.Optional.empty(),
                                java.util.Optional.empty(),
                                null,
                                "text".getBytes(StandardCharsets.UTF_8)))),
                new SimpleMessage(
                        Mailbox.of("jane@example.com"),
                        List.of(),
                        List.of(),
                        List.of(),
                        Content.utf8("only bcc"),
                        java.util.Optional.of(Content.utf8("t")),
                        none,
                        List.of(),
                        List.of()));
        int id = 0;
        for (SimpleMessage message : messages) {
            byte[] built = mime.build(message, "m-" + id++);
            RawMessage raw = RawMessage.parse(built, MESSAGE_ID, NOW);
            assertThat(raw.bytes()).as("nothing added or removed").isEqualTo(built);
            assertThat(raw.headers()).isEqualTo(MailHeaders.of(built));
        }
    }

    @Test
    void theHeaderSummaryIsTheDeliveredHeaderSection() {
        RawMessage raw =
                parse("From: Jane <jane@example.com>\r\nX-SES-CONFIGURATION-SET: cs\r\nBcc: hidden@example.net\r\n"
                        + "To: bob@example.org\r\nSubject: Hi\r\n" + BODY);

        MailHeaders headers = raw.headers();

        assertThat(headers.fields())
                .extracting(MailHeaders.Field::name)
                .containsExactly("From", "To", "Subject", "Message-ID", "Date");
        assertThat(headers.common().from()).containsExactly("Jane <jane@example.com>");
        assertThat(headers.common().to()).containsExactly("bob@example.org");
        assertThat(headers.common().messageId()).contains(MESSAGE_ID);
        assertThat(headers.common().fromDomain()).contains("example.com");
        assertThat(headers.truncated()).isFalse();
        assertThat(MailHeaders.ofHead(java.util.Arrays.copyOf(raw.bytes(), 40)).fields())
                .as("cut in the header section")
                .extracting(MailHeaders.Field::name)
                .containsExactly("From");
        assertThat(MailHeaders.ofHead(java.util.Arrays.copyOf(raw.bytes(), 40)).truncated())
                .isTrue();
        assertThat(MailHeaders.ofHead(raw.bytes())).isEqualTo(headers);
    }

    private static RawMessage parse(String message) {
        return RawMessage.parse(message.getBytes(StandardCharsets.UTF_8), MESSAGE_ID, NOW);
    }

    private static String text(RawMessage raw) {
        return new String(raw.bytes(), StandardCharsets.UTF_8);
    }

    @Test
    void messageIdHeadersAreCheckedAsTheRegexWould() {
        Pattern regex = Pattern.compile("<[!-~&&[^<>]]+@[!-~&&[^<>]]+>");
        String alphabet = "<>@a.- é";
        Random random = new Random(11);
        for (int i = 0; i < 50_000; i++) {
            StringBuilder text = new StringBuilder(random.nextBoolean() ? "<" : "");
            for (int k = random.nextInt(7); k > 0; k--) {
                text.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            text.append(random.nextInt(4) == 0 ? "" : ">");
            assertThat(RawMessage.isMessageIdHeader(text.toString()))
                    .as("'%s'", text)
                    .isEqualTo(regex.matcher(text).matches());
        }
        assertThat(RawMessage.isMessageIdHeader(null)).isFalse();
    }
}
