package io.poolmta.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolmta.common.PoolMtaException;
import jakarta.mail.Multipart;
import jakarta.mail.Session;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayInputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link TextMimeWriter} against the reference it replaces for messages without attachments:
 * Jakarta Mail's MimeMessage ({@link MimeBuilder#buildWithJakartaMail}). Thousands of random
 * messages (addresses with and without display names, ASCII, non-ASCII and unbreakable subjects,
 * bodies that come out 7bit, quoted-printable and base64 in several charsets, every kind of line
 * break, long lines, custom headers that Jakarta orders specially) must give the same bytes, the
 * random multipart boundary aside.
 */
class TextMimeWriterTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-06-03T10:15:30Z"), ZoneOffset.UTC);
    private static final String ID = "010001973d2f9a3b-6f1e0c2a-8a0b-4c3d-9e8f-0a1b2c3d4e5f-000000";
    private static final Pattern BOUNDARY = Pattern.compile("boundary=\"([^\"]+)\"");
    private static final List<String> ADDRESSES = List.of(
            "bob@example.org",
            "Carol <carol@example.org>",
            "\"Doe, Jane\" <jane@example.com>",
            "Jörg Müller <joerg@example.de>",
            "josé@example.es",
            "\"Quote \\\"me\\\"\" <q@example.net>",
            "A Very Long Display Name For Folding Purposes <longname@example.com>",
            "日本語の名前 <jp@example.jp>",
            "x@sub.example.co.uk");
    private static final List<String> HEADER_NAMES = List.of(
            "X-Foo",
            "X-Bar",
            "Comments",
            "Keywords",
            "In-Reply-To",
            "References",
            "Sender",
            "Received",
            "Errors-To",
            "Content-MD5",
            "Content-Length",
            "Status",
            "Resent-From",
            "List-Unsubscribe",
            "x-foo",
            "X-Campaign");
    private static final String[] PIECES = {
        "Hello",
        " ",
        "world",
        "\r\n",
        "\n",
        "\r",
        "\t",
        "=",
        "==",
        "=20",
        " \r\n",
        "\t\n",
        ".",
        "\r\n.\r\n",
        "From ",
        "ü",
        "é",
        "ß",
        "日本語",
        "😀",
        "—",
        "x".repeat(80),
        "y".repeat(1200),
        "----=_Part_",
        "\u0000",
        "~",
        "<p>",
        "</p>"
    };

    private final MimeBuilder builder = new MimeBuilder(CLOCK, "mail.poolmta.test");

    @Test
    void randomMessagesComeOutAsJakartaMailWritesThem() throws Exception {
        Random random = new Random(20261126);
        int compared = 0;
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 3000; i++) {
            SimpleMessage message;
            try {
                message = randomMessage(random);
            } catch (PoolMtaException invalid) {
                continue; // e.g. a once-only header drawn twice, or text the charset cannot hold
            }
            String mime = assertSameBytes(message);
            for (String feature : List.of(
                    "7bit",
                    "quoted-printable",
                    "base64",
                    "multipart/alternative",
                    "=?UTF-8?B?",
                    "=?UTF-8?Q?",
                    "=?ISO-8859-1?",
                    "\r\n\t",
                    "Received: ",
                    "Comments: ")) {
                if (mime.contains(feature)) {
                    seen.add(feature);
                }
            }
            compared++;
        }
        assertThat(compared).isGreaterThan(1500);
        assertThat(seen).as("what the random messages covered").hasSize(10);
    }

    @Test
    void largeBodiesAcrossJakartasBufferSizeMatch() throws Exception {
        String latin = "Grüße aus Köln, naïve café = déjà vu. ".repeat(2000);
        String cjk = "日本語のテキストです。".repeat(3000);
        String ascii = "plain line of text\r\n".repeat(5000);
        for (String text : List.of(latin, cjk, ascii)) {
            assertSameBytes(message(
                    Optional.of(Content.utf8(text)),
                    Optional.of(Content.utf8("<p>" + text + "</p>")),
                    Content.utf8("big")));
        }
    }

    @Test
    void theBoundaryNeverOccursInATextPart() throws Exception {
        String sneaky = "----=_Part_0_1.2\r\n";
        for (int i = 0; i < 200; i++) {
            TextPart text = new TextPart(
                    "text/plain; charset=UTF-8", ("a\r\n" + sneaky).getBytes(StandardCharsets.US_ASCII), "7bit");
            String boundary = TextMimeWriter.boundary(List.of(text), 2);
            assertThat(new String(text.bytes(), StandardCharsets.US_ASCII)).doesNotContain(boundary);
        }
        byte[] bytes = builder.build(
                message(Optional.of(Content.utf8("text")), Optional.of(Content.utf8("<b>html</b>")), Content.utf8("s")),
                ID);
        MimeMessage mime = new MimeMessage(Session.getInstance(new Properties()), new ByteArrayInputStream(bytes));
        Multipart parts = (Multipart) mime.getContent();
        assertThat(parts.getCount()).isEqualTo(2);
        assertThat(parts.getBodyPart(0).getContent()).isEqualTo("text");
        assertThat(parts.getBodyPart(1).getContent()).isEqualTo("<b>html</b>");
        MimeBuilderTest.assertCanonical(bytes);
    }

    @Test
    void canonicalLinesTurnEveryBreakIntoCrlf() {
        for (String text : List.of("", "a", "a\r\nb", "a\nb", "a\rb", "\r\r\n\n\r", "x\r", "\n", "end\r\n", "a\n\rb")) {
            assertThat(Content.canonicalLines(text)).isEqualTo(text.replaceAll("\r\n|\r|\n", "\r\n"));
        }
    }

    @Test
    void canonicalLinesAndTheCharsetCheckAgreeWithAPlainReadingOnRandomText() {
        Random random = new Random(20261127);
        char[] alphabet = {'a', ' ', '\r', '\n', 'é', '\uD83D', '\uDE00', '\uDC00'};
        for (int round = 0; round < 5_000; round++) {
            char[] chars = new char[random.nextInt(30)];
            for (int i = 0; i < chars.length; i++) {
                chars[i] = alphabet[random.nextInt(alphabet.length)];
            }
            String text = new String(chars);
            assertThat(Content.canonicalLines(text))
                    .as("%s", Arrays.toString(chars))
                    .isEqualTo(text.replaceAll("\r\n|\r|\n", "\r\n"));
            // UTF-8 can write the text exactly when the JDK's own encoder can (no lone surrogate)
            if (StandardCharsets.UTF_8.newEncoder().canEncode(text)) {
                assertThat(Content.utf8(text).data()).isEqualTo(text);
            } else {
                assertThatThrownBy(() -> Content.utf8(text))
                        .as("%s", Arrays.toString(chars))
                        .isInstanceOf(PoolMtaException.class);
            }
        }
    }

    private String assertSameBytes(SimpleMessage message) throws Exception {
        String expected = normalised(builder.buildWithJakartaMail(message, ID));
        String actual = normalised(builder.build(message, ID));
        assertThat(actual).as("MIME of %s", message).isEqualTo(expected);
        return actual;
    }

    /** The bytes as ISO-8859-1 text (one char per byte), the boundary replaced by a fixed word. */
    private static String normalised(byte[] bytes) {
        String text = new String(bytes, StandardCharsets.ISO_8859_1);
        Matcher m = BOUNDARY.matcher(text);
        return m.find() ? text.replace(m.group(1), "BOUNDARY") : text;
    }

    private static SimpleMessage randomMessage(Random random) {
        Charset charset = switch (random.nextInt(6)) {
            case 0 -> StandardCharsets.ISO_8859_1;
            case 1 -> StandardCharsets.US_ASCII;
            case 2 -> StandardCharsets.UTF_16;
            default -> StandardCharsets.UTF_8;
        };
        int kind = random.nextInt(3);
        Optional<Content> text =
                kind != 1 ? Optional.of(new Content(randomText(random, 4000), charset)) : Optional.empty();
        Optional<Content> html =
                kind != 0 ? Optional.of(new Content(randomText(random, 4000), charset)) : Optional.empty();
        List<MessageHeader> headers = new ArrayList<>();
        for (int i = random.nextInt(5); i > 0; i--) {
            headers.add(new MessageHeader(
                    HEADER_NAMES.get(random.nextInt(HEADER_NAMES.size())), "value " + random.nextInt(100)));
        }
        return new SimpleMessage(
                Mailbox.of(pick(random)),
                mailboxes(random, 1 + random.nextInt(6)),
                mailboxes(random, random.nextInt(3)),
                mailboxes(random, random.nextInt(2)),
                randomSubject(random, charset),
                text,
                html,
                headers,
                List.of());
    }

    private static Content randomSubject(Random random, Charset charset) {
        String subject = switch (random.nextInt(7)) {
            case 5 -> "Café crème brûlée";
            case 0 -> "Hello";
            case 1 ->
                "A rather long subject line that goes on and on, so that it has to be folded somewhere ".repeat(3);
            case 2 -> "Grüße aus Köln — 日本語 😀 with a tail to fold over more than one encoded word, yes";
            case 3 -> "z".repeat(950) + " tail";
            case 4 -> "Tab\tseparated\twords and = signs =?not-encoded?=";
            default -> "";
        };
        return new Content(subject, charset);
    }

    private static String randomText(Random random, int maxPieces) {
        StringBuilder text = new StringBuilder();
        for (int i = random.nextInt(maxPieces); i > 0; i--) {
            text.append(PIECES[random.nextInt(random.nextBoolean() ? 5 : PIECES.length)]);
        }
        return text.toString();
    }

    private static List<Mailbox> mailboxes(Random random, int count) {
        List<Mailbox> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(Mailbox.of(pick(random)));
        }
        return out;
    }

    private static String pick(Random random) {
        return ADDRESSES.get(random.nextInt(ADDRESSES.size()));
    }

    private static SimpleMessage message(Optional<Content> text, Optional<Content> html, Content subject) {
        return new SimpleMessage(
                Mailbox.of("Jane Doe <jane@example.com>"),
                List.of(Mailbox.of("bob@example.org")),
                List.of(),
                List.of(),
                subject,
                text,
                html,
                List.of(),
                List.of());
    }
}
