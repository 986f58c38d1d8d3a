package io.poolmta.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import jakarta.mail.BodyPart;
import jakarta.mail.Message.RecipientType;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MimeBuilderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-03T10:15:30Z"), ZoneOffset.UTC);
    private static final String ID = "010001973d2f9a3b-6f1e0c2a-8a0b-4c3d-9e8f-0a1b2c3d4e5f-000000";
    private static final String UNICODE_TEXT = "Grüße aus Köln — 日本語のテキスト 😀\r\nZweite Zeile: naïve café";
    private static final String UNICODE_HTML = "<p>Grüße <b>日本語</b> 😀</p>\r\n<p>naïve café</p>";

    private final MimeBuilder builder = new MimeBuilder(CLOCK, "mail.poolmta.test");

    @Test
    void textOnlyIsTextPlainWithTheStandardHeaders() throws Exception {
        byte[] bytes =
                builder.build(message(Optional.of(Content.utf8("Hello Bob,\r\nsee you.")), Optional.empty()), ID);
        MimeMessage mime = parse(bytes);

        assertThat(mime.getContentType()).isEqualTo("text/plain; charset=UTF-8");
        assertThat(mime.getEncoding()).isEqualTo("7bit");
        assertThat(mime.getContent()).isEqualTo("Hello Bob,\r\nsee you.");
        assertThat(mime.getHeader("Date", null)).isEqualTo("Tue, 3 Jun 2025 10:15:30 +0000");
        assertThat(mime.getHeader("Message-ID", null)).isEqualTo("<" + ID + "@mail.poolmta.test>");
        assertThat(builder.messageIdHeader(ID)).isEqualTo("<" + ID + "@mail.poolmta.test>");
        assertThat(mime.getHeader("MIME-Version", null)).isEqualTo("1.0");
        assertThat(mime.getSubject()).isEqualTo("Hello");
        assertThat(mime.getFrom()).containsExactly(new InternetAddress("jane@example.com", "Jane Doe"));
        assertThat(addresses(mime, RecipientType.TO)).containsExactly("bob@example.org", "carol@example.org");
        assertThat(addresses(mime, RecipientType.CC)).containsExactly("dave@example.net");
        assertThat(mime.getReplyTo())
                .extracting(a -> ((InternetAddress) a).getAddress())
                .containsExactly("replies@example.com");
        assertCanonical(bytes);
    }

    @Test
    void htmlOnlyIsTextHtml() throws Exception {
        MimeMessage mime = parse(builder.build(message(Optional.empty(), Optional.of(Content.utf8(UNICODE_HTML))), ID));

        assertThat(mime.getContentType()).isEqualTo("text/html; charset=UTF-8");
        assertThat(mime.getContent()).isEqualTo(UNICODE_HTML);
    }

    @Test
    void textAndHtmlMakeAMultipartAlternativeWhosePartsDecodeToTheOriginals() throws Exception {
        byte[] bytes = builder.build(
                message(Optional.of(Content.utf8(UNICODE_TEXT)), Optional.of(Content.utf8(UNICODE_HTML))), ID);
        MimeMessage mime = parse(bytes);

        assertThat(mime.getContentType()).startsWith("multipart/alternative;");
        Multipart alternative = (Multipart) mime.getContent();
        assertThat(alternative.getCount()).isEqualTo(2);
        assertThat(alternative.getBodyPart(0).getContentType()).isEqualTo("text/plain; charset=UTF-8");
        assertThat(alternative.getBodyPart(0).getContent()).isEqualTo(UNICODE_TEXT);
        assertThat(alternative.getBodyPart(1).getContentType()).isEqualTo("text/html; charset=UTF-8");
        assertThat(alternative.getBodyPart(1).getContent()).isEqualTo(UNICODE_HTML);
        assertCanonical(bytes);
    }

    @Test
    void theTransferEncodingFollowsTheText() throws Exception {
        assertThat(encodingOf("plain ASCII")).isEqualTo("7bit");
        assertThat(encodingOf("Mostly ASCII, with a café")).isEqualTo("quoted-printable");
        assertThat(encodingOf("日本語のテキストです")).isEqualTo("base64");
        assertThat(encodingOf("x".repeat(2_000))).isEqualTo("quoted-printable");
    }

    @Test
    void attachmentsMakeAMultipartMixedAroundTheBody() throws Exception {
        byte[] pdf = {'%', 'P', 'D', 'F', 0, (byte) 0xff, '\n', 1, 2, 3};
        Attachment report = new Attachment(
                "Bericht März.pdf", null, null, Optional.empty(), Optional.of("Monthly report"), null, pdf);
        byte[] bytes = builder.build(
                message(
                        Optional.of(Content.utf8(UNICODE_TEXT)),
                        Optional.of(Content.utf8(UNICODE_HTML)),
                        List.of(),
                        List.of(report)),
                ID);
        MimeMessage mime = parse(bytes);

        assertThat(mime.getContentType()).startsWith("multipart/mixed;");
        Multipart mixed = (Multipart) mime.getContent();
        assertThat(mixed.getCount()).isEqualTo(2);
        assertThat(mixed.getBodyPart(0).getContentType()).startsWith("multipart/alternative;");
        BodyPart attachment = mixed.getBodyPart(1);
        assertThat(attachment.getContentType()).startsWith("application/pdf");
        assertThat(attachment.getDisposition()).isEqualTo(Part.ATTACHMENT);
        assertThat(attachment.getFileName()).isEqualTo("Bericht März.pdf");
        assertThat(attachment.getDescription()).isEqualTo("Monthly report");
        assertThat(attachment.getHeader("Content-Transfer-Encoding")).containsExactly("base64");
        assertThat(read(attachment)).isEqualTo(pdf);
        assertCanonical(bytes);
    }

    @Test
    void inlineImagesSitInAMultipartRelatedWithTheHtml() throws Exception {
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
        Attachment logo = new Attachment(
                "logo.png",
                null,
                Attachment.Disposition.INLINE,
                Optional.of("<logo@example>"),
                Optional.empty(),
                null,
                png);
        Attachment terms = Attachment.of("terms.txt", "Terms\r\n".getBytes(StandardCharsets.US_ASCII));
        MimeMessage mime = parse(builder.build(
                message(
                        Optional.of(Content.utf8("text")),
                        Optional.of(Content.utf8("<img src=\"cid:logo@example\">")),
                        List.of(),
                        List.of(logo, terms)),
                ID));

        Multipart mixed = (Multipart) mime.getContent();
        assertThat(mixed.getCount()).isEqualTo(2);
        BodyPart relatedPart = mixed.getBodyPart(0);
        assertThat(relatedPart.getContentType())
                .startsWith("multipart/related;")
                .contains("type=\"multipart/alternative\"");
        Multipart related = (Multipart) relatedPart.getContent();
        assertThat(related.getBodyPart(0).getContentType()).startsWith("multipart/alternative;");
        BodyPart image = related.getBodyPart(1);
        assertThat(image.getContentType()).startsWith("image/png");
        assertThat(image.getDisposition()).isEqualTo(Part.INLINE);
        assertThat(image.getHeader("Content-ID")).containsExactly("<logo@example>");
        assertThat(read(image)).isEqualTo(png);
        assertThat(mixed.getBodyPart(1).getContentType()).startsWith("text/plain");
        assertThat(mixed.getBodyPart(1).getFileName()).isEqualTo("terms.txt");
    }

    @Test
    void attachmentEncodingsAreHonouredOnlyWhenLossless() throws Exception {
        byte[] crlfText = "line one\r\nline two = ü\r\n".getBytes(StandardCharsets.UTF_8);
        byte[] bareLf = "line one\nline two\n".getBytes(StandardCharsets.US_ASCII);
        byte[] ascii = "plain\r\nascii\r\n".getBytes(StandardCharsets.US_ASCII);
        List<Attachment> attachments = List.of(
                attachment("qp.txt", Attachment.TransferEncoding.QUOTED_PRINTABLE, crlfText),
                attachment("qp-lf.bin", Attachment.TransferEncoding.QUOTED_PRINTABLE, bareLf),
                attachment("seven.txt", Attachment.TransferEncoding.SEVEN_BIT, ascii),
                attachment("seven-8bit.txt", Attachment.TransferEncoding.SEVEN_BIT, crlfText));
        byte[] bytes =
                builder.build(message(Optional.of(Content.utf8("x")), Optional.empty(), List.of(), attachments), ID);
        Multipart mixed = (Multipart) parse(bytes).getContent();

        assertThat(encoding(mixed.getBodyPart(1))).isEqualTo("quoted-printable");
        assertThat(encoding(mixed.getBodyPart(2))).isEqualTo("base64");
        assertThat(encoding(mixed.getBodyPart(3))).isEqualTo("7bit");
        assertThat(encoding(mixed.getBodyPart(4))).isEqualTo("base64");
        List<byte[]> decoded = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            decoded.add(read(mixed.getBodyPart(i)));
        }
        assertThat(decoded).containsExactly(crlfText, bareLf, ascii, crlfText);
        assertCanonical(bytes);
    }

    @Test
    void aNonAsciiSubjectIsEncodedAndDecodesBack() throws Exception {
        String subject = "Grüße aus Köln — 日本語 😀 and a rather long tail so that the encoded words must be folded";
        byte[] bytes = builder.build(message(Content.utf8(subject)), ID);

        assertThat(headerSection(bytes)).contains("Subject: =?UTF-8?").doesNotContain("Köln");
        assertThat(parse(bytes).getSubject()).isEqualTo(subject);
        assertCanonical(bytes);
    }

    @Test
    void aSubjectInAnotherCharsetIsEncodedInIt() throws Exception {
        byte[] bytes = builder.build(message(Content.of("Café crème", "ISO-8859-1")), ID);
        assertThat(headerSection(bytes)).contains("=?ISO-8859-1?");
        assertThat(parse(bytes).getSubject()).isEqualTo("Café crème");
    }

    @Test
    void anUnbreakableAsciiSubjectIsEncodedSoNoLineIsTooLong() throws Exception {
        String subject = "x".repeat(1_200);
        byte[] bytes = builder.build(message(Content.utf8(subject)), ID);
        assertThat(parse(bytes).getSubject()).isEqualTo(subject);
        assertCanonical(bytes);
    }

    @Test
    void bodiesInAnotherCharsetAreWrittenInIt() throws Exception {
        Content latin = Content.of("Grüße, café", "iso-8859-1");
        MimeMessage mime = parse(builder.build(message(Optional.of(latin), Optional.empty()), ID));
        assertThat(mime.getContentType()).isEqualTo("text/plain; charset=ISO-8859-1");
        assertThat(mime.getContent()).isEqualTo("Grüße, café");
    }

    @Test
    void textThatTheCharsetCannotHoldOrAnUnknownCharsetIsABadRequest() {
        assertBadRequest(() -> Content.of("日本語", "ISO-8859-1"), "cannot be written in the charset ISO-8859-1");
        assertBadRequest(() -> Content.of("café", "US-ASCII"), "cannot be written in the charset US-ASCII");
        assertBadRequest(() -> Content.of("x", "no-such-charset"), "Unknown charset 'no-such-charset'");
    }

    @Test
    void bccIsNeverWritten() {
        byte[] bytes = builder.build(message(Content.utf8("Hi")), ID);
        assertThat(new String(bytes, StandardCharsets.UTF_8)).doesNotContainIgnoringCase("bcc");
        assertBadRequest(() -> withHeaders(new MessageHeader("Bcc", "hidden@example.com")), "Bcc cannot be set");
    }

    @Test
    void customHeadersAreWrittenAfterTheStandardOnes() throws Exception {
        byte[] bytes = builder.build(
                withHeaders(
                        new MessageHeader("X-Campaign", "spring-2025"),
                        new MessageHeader("List-Unsubscribe", "<mailto:unsubscribe@example.com?subject=unsubscribe>"),
                        new MessageHeader("X-Tag", "a"),
                        new MessageHeader("X-Tag", "b")),
                ID);
        MimeMessage mime = parse(bytes);

        assertThat(mime.getHeader("X-Campaign")).containsExactly("spring-2025");
        assertThat(mime.getHeader("List-Unsubscribe"))
                .containsExactly("<mailto:unsubscribe@example.com?subject=unsubscribe>");
        assertThat(mime.getHeader("X-Tag")).containsExactly("a", "b");
        assertThat(headerSection(bytes)).contains("X-Campaign: spring-2025\r\n");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "From",
                "To",
                "Cc",
                "Bcc",
                "Subject",
                "Message-ID",
                "Date",
                "MIME-Version",
                "Content-Type",
                "Content-Transfer-Encoding",
                "Content-Disposition",
                "Return-Path",
                "Reply-To",
                "content-type",
                "FROM",
                "X-SES-CONFIGURATION-SET",
                "x-ses-message-tags"
            })
    void headersPoolMtaSetsCannotBeOverridden(String name) {
        assertBadRequest(() -> withHeaders(new MessageHeader(name, "value")), "cannot be set as a custom header");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Bad Name", "Bad:Name", "Ünicode", "Tab\tName", "", " Leading"})
    void headerNamesMustBeRfc5322FieldNames(String name) {
        assertThatThrownBy(() -> new MessageHeader(name, "v"))
                .isInstanceOfSatisfying(
                        PoolMtaException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"x\r\nBcc: victim@example.com", "x\nBcc: victim@example.com", "x\rBcc: v@example.com", "\r\n"})
    void headerValuesCannotCarryLineBreaks(String value) {
        assertBadRequest(() -> new MessageHeader("X-Injected", value), "must not contain line breaks");
    }

    @Test
    void headerValuesAreLimitedToPrintableAsciiAndTheirLength() {
        assertBadRequest(() -> new MessageHeader("X-Name", "Jürgen"), "printable ASCII");
        assertBadRequest(() -> new MessageHeader("X-Name", "a\u0000b"), "printable ASCII");
        assertBadRequest(() -> new MessageHeader("X-Long", "v".repeat(996)), "too long");
        assertBadRequest(() -> new MessageHeader("X-Name", " "), "must not be empty");
        assertThat(new MessageHeader("X", "v".repeat(995)).value()).hasSize(995);
    }

    @Test
    void onceOnlyHeadersCannotRepeatAndAtMostFifteenAreAllowed() {
        assertBadRequest(
                () -> withHeaders(new MessageHeader("List-Id", "<a.example>"), new MessageHeader("list-id", "<b>")),
                "may appear only once");
        MessageHeader[] sixteen = new MessageHeader[16];
        Arrays.setAll(sixteen, i -> new MessageHeader("X-H" + i, "v"));
        assertBadRequest(() -> withHeaders(sixteen), "at most 15 custom Headers");
    }

    @Test
    void aSubjectWithALineBreakOrABodylessMessageIsABadRequest() {
        assertBadRequest(
                () -> message(Content.utf8("Hello\r\nBcc: victim@example.com")),
                "Subject must not contain line breaks");
        assertBadRequest(() -> message(Optional.empty(), Optional.empty()), "must have Text, Html or both");
    }

    @Test
    void everyLineEndsInCrlfWhateverLineBreaksTheInputUsed() throws Exception {
        String mixedBreaks = "unix\nmac\rwindows\r\nend with space \n" + "long ".repeat(400) + "\n";
        Attachment text = attachment(
                "notes.txt", Attachment.TransferEncoding.SEVEN_BIT, "a\nb\n".getBytes(StandardCharsets.US_ASCII));
        byte[] bytes = builder.build(
                message(
                        Optional.of(Content.utf8(mixedBreaks)),
                        Optional.of(Content.utf8("<p>a\nb</p>")),
                        List.of(),
                        List.of(text)),
                ID);

        assertCanonical(bytes);
        Multipart mixed = (Multipart) parse(bytes).getContent();
        Multipart alternative = (Multipart) mixed.getBodyPart(0).getContent();
        assertThat(alternative.getBodyPart(0).getContent()).isEqualTo(mixedBreaks.replaceAll("\r\n|\r|\n", "\r\n"));
    }

    @Test
    void displayNamesAreQuotedOrEncodedAndUtf8AddressesKept() throws Exception {
        SimpleMessage message = new SimpleMessage(
                Mailbox.of("\"Doe, Jane\" <jane@example.com>"),
                List.of(Mailbox.of("Jörg Müller <joerg@example.de>"), Mailbox.of("josé@example.es")),
                List.of(),
                List.of(),
                Content.utf8("Hi"),
                Optional.of(Content.utf8("x")),
                Optional.empty(),
                List.of(),
                List.of());
        byte[] bytes = builder.build(message, ID);
        String headers = headerSection(bytes);

        assertThat(headers).contains("From: \"Doe, Jane\" <jane@example.com>\r\n");
        assertThat(headers).contains("=?UTF-8?").contains("josé@example.es");
        Properties utf8 = new Properties();
        utf8.setProperty("mail.mime.allowutf8", "true");
        MimeMessage mime = new MimeMessage(Session.getInstance(utf8), new ByteArrayInputStream(bytes));
        InternetAddress first = (InternetAddress) mime.getRecipients(RecipientType.TO)[0];
        assertThat(first.getPersonal()).isEqualTo("Jörg Müller");
        assertThat(first.getAddress()).isEqualTo("joerg@example.de");
    }

    @Test
    void aMessageOverFortyMebibytesIsRejected() {
        Attachment huge = Attachment.of("huge.bin", new byte[31 * 1024 * 1024]);
        SimpleMessage message = message(Optional.of(Content.utf8("x")), Optional.empty(), List.of(), List.of(huge));
        assertThatThrownBy(() -> builder.build(message, ID))
                .isInstanceOfSatisfying(
                        PoolMtaException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.MESSAGE_REJECTED))
                .hasMessageContaining("40 MiB");
    }

    @Test
    void attachmentFieldsAreChecked() {
        assertBadRequest(() -> Attachment.of("", new byte[0]), "FileName is required");
        assertBadRequest(() -> Attachment.of("evil\r\n.txt", new byte[0]), "without line breaks");
        assertBadRequest(
                () -> new Attachment(
                        "a.bin", "not a type", null, Optional.empty(), Optional.empty(), null, new byte[0]),
                "is not a MIME type");
        assertBadRequest(
                () -> new Attachment(
                        "a.bin", "multipart/mixed", null, Optional.empty(), Optional.empty(), null, new byte[0]),
                "must not be multipart");
        assertBadRequest(
                () -> new Attachment(
                        "a.png",
                        null,
                        Attachment.Disposition.INLINE,
                        Optional.of("has space"),
                        Optional.empty(),
                        null,
                        new byte[0]),
                "ContentId");
        assertThat(Attachment.of("photo.JPG", new byte[0]).contentType()).isEqualTo("image/jpeg");
        assertThat(Attachment.of("data.unknown", new byte[0]).contentType()).isEqualTo("application/octet-stream");
    }

    @Test
    void theDomainForMessageIdsMustBeAHostName() {
        assertThatThrownBy(() -> new MimeBuilder(CLOCK, "bad domain")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new MimeBuilder(CLOCK, "")).isInstanceOf(IllegalArgumentException.class);
    }

    // --- helpers

    private String encodingOf(String text) throws Exception {
        return parse(builder.build(message(Optional.of(Content.utf8(text)), Optional.empty()), ID))
                .getEncoding();
    }

    private static Attachment attachment(String name, Attachment.TransferEncoding encoding, byte[] content) {
        return new Attachment(name, null, null, Optional.empty(), Optional.empty(), encoding, content);
    }

    private static SimpleMessage message(Content subject) {
        return new SimpleMessage(
                Mailbox.of("Jane Doe <jane@example.com>"),
                List.of(Mailbox.of("bob@example.org")),
                List.of(),
                List.of(),
                subject,
                Optional.of(Content.utf8("body")),
                Optional.empty(),
                List.of(),
                List.of());
    }

    private static SimpleMessage message(Optional<Content> text, Optional<Content> html) {
        return message(text, html, List.of(), List.of());
    }

    private static SimpleMessage withHeaders(MessageHeader... headers) {
        return message(Optional.of(Content.utf8("body")), Optional.empty(), List.of(headers), List.of());
    }

    private static SimpleMessage message(
            Optional<Content> text, Optional<Content> html, List<MessageHeader> headers, List<Attachment> attachments) {
        return new SimpleMessage(
                Mailbox.of("Jane Doe <jane@example.com>"),
                List.of(Mailbox.of("bob@example.org"), Mailbox.of("Carol <carol@example.org>")),
                List.of(Mailbox.of("dave@example.net")),
                List.of(Mailbox.of("replies@example.com")),
                Content.utf8("Hello"),
                text,
                html,
                headers,
                attachments);
    }

    private static MimeMessage parse(byte[] bytes) throws Exception {
        return new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
    }

    private static List<String> addresses(MimeMessage mime, RecipientType type) throws Exception {
        return Arrays.stream(mime.getRecipients(type))
                .map(a -> ((InternetAddress) a).getAddress())
                .toList();
    }

    private static String encoding(BodyPart part) throws Exception {
        return part.getHeader("Content-Transfer-Encoding")[0];
    }

    private static byte[] read(Part part) throws Exception {
        try (InputStream in = part.getInputStream()) {
            return in.readAllBytes();
        }
    }

    private static String headerSection(byte[] bytes) {
        String all = new String(bytes, StandardCharsets.UTF_8);
        return all.substring(0, all.indexOf("\r\n\r\n") + 2);
    }

    /** Every CR is followed by LF, every LF preceded by CR, and no line is over 998 octets. */
    static void assertCanonical(byte[] bytes) {
        int line = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\r') {
                assertThat(i + 1 < bytes.length && bytes[i + 1] == '\n')
                        .as("CR at %d is followed by LF", i)
                        .isTrue();
            } else if (bytes[i] == '\n') {
                assertThat(i > 0 && bytes[i - 1] == '\r')
                        .as("LF at %d follows a CR", i)
                        .isTrue();
                line = 0;
                continue;
            }
            if (bytes[i] != '\r') {
                line++;
            }
            assertThat(line).as("line length at byte %d", i).isLessThanOrEqualTo(998);
        }
    }

    private static void assertBadRequest(ThrowableAssert.ThrowingCallable call, String fragment) {
        assertThatThrownBy(call).isInstanceOfSatisfying(PoolMtaException.class, e -> {
            assertThat(e.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
            assertThat(e.getMessage()).contains(fragment);
        });
    }
}
