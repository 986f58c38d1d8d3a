package io.poolmta.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.subethamail.smtp.internal.io.DotTerminatedInputStream;
import org.subethamail.smtp.internal.io.DotUnstuffingInputStream;

/**
 * {@link SmtpDataStream} against RFC 5321 §4.5.2 and against the SubEthaSMTP streams it replaces:
 * random DATA sections (dots, CRs, LFs in every combination, long lines) read through buffers and
 * read sizes of every kind must give the same message, leave a pipelined next command unread, and
 * fail with EOFException when the connection ends before the terminator.
 */
class SmtpDataStreamTest {
    private static final String NEXT = "MAIL FROM:<next@example.com>\r\n";
    private static final String[] PIECES = {
        ".",
        "..",
        "\r",
        "\n",
        "\r\n",
        "\r\n.",
        "\r\n..",
        "\r\n.\r",
        ".\r",
        "a",
        "text ",
        "x".repeat(300),
        "\r\n.x",
        "\r\r\n",
        "\n.\n",
        "\u00e9"
    };

    @Test
    void theTerminatorEndsTheMessageAndDotsAreUnstuffed() throws IOException {
        assertThat(decode("Subject: hi\r\n\r\nbody\r\n.\r\n")).isEqualTo("Subject: hi\r\n\r\nbody\r\n");
        assertThat(decode("a\r\n..b\r\n...\r\n.\r\n")).isEqualTo("a\r\n.b\r\n..\r\n");
        assertThat(decode(".\r\n")).isEmpty();
        assertThat(decode("..first line\r\n.\r\n")).isEqualTo(".first line\r\n");
        assertThat(decode("a\r\n.\rb\r\n.\r\n")).isEqualTo("a\r\n\rb\r\n");
        assertThat(decode("a\n.\nb\r\n.\r\n")).isEqualTo("a\n.\nb\r\n");
        assertThat(decode("no final crlf.\r\n.\r\n")).isEqualTo("no final crlf.\r\n");
    }

    /** ".<LF>" at a line start is not the end of the data, and its dot is not a stuffed one: kept. */
    @Test
    void aDotBeforeABareLineFeedIsKept() throws IOException {
        assertThat(decode("hello\r\n.\nMAIL FROM:<x@example.com>\r\n.\r\n"))
                .isEqualTo("hello\r\n.\nMAIL FROM:<x@example.com>\r\n");
        assertThat(decode(".\nfirst\r\n.\r\n")).isEqualTo(".\nfirst\r\n");
        assertThat(decode("a\r\n..\nb\r\n.\r\n"))
                .as("a stuffed dot before LF is unstuffed")
                .isEqualTo("a\r\n.\nb\r\n");
    }

    @Test
    void randomDataMatchesTheReferenceAndSubEthaSmtpWhateverTheReadSizes() throws IOException {
        Random random = new Random(5321);
        for (int i = 0; i < 4000; i++) {
            StringBuilder text = new StringBuilder();
            for (int k = random.nextInt(60); k > 0; k--) {
                text.append(PIECES[random.nextInt(PIECES.length)]);
            }
            byte[] raw = (text + "\r\n.\r\n" + NEXT).getBytes(StandardCharsets.ISO_8859_1);
            ByteArrayOutputStream decoded = new ByteArrayOutputStream();
            int used = reference(raw, decoded);
            byte[] expected = decoded.toByteArray();
            String rest = new String(raw, used, raw.length - used, StandardCharsets.ISO_8859_1);
            int bufferSize = 1 + random.nextInt(random.nextBoolean() ? 16 : 9000);
            int readSize = 1 + random.nextInt(random.nextBoolean() ? 4 : 20000);
            BufferedInputStream in = new BufferedInputStream(new TrickleInputStream(raw, random), bufferSize);
            byte[] actual = readAll(new SmtpDataStream(in), readSize);
            assertThat(actual)
                    .as("message %d (buffer %d, reads of %d)", i, bufferSize, readSize)
                    .isEqualTo(expected);
            assertThat(new String(in.readAllBytes(), StandardCharsets.ISO_8859_1))
                    .as("what is left after message %d", i)
                    .isEqualTo(rest);
            // SubEthaSMTP does not unstuff the first line, and drops the dot of ".<LF>"
            if (raw[0] != '.' && !new String(raw, StandardCharsets.ISO_8859_1).contains("\r\n.\n")) {
                assertThat(subEthaSmtp(raw)).as("SubEthaSMTP on message %d", i).isEqualTo(expected);
            }
        }
    }

    @Test
    void singleByteReadsWork() throws IOException {
        InputStream data = new SmtpDataStream(new BufferedInputStream(
                new ByteArrayInputStream("ab\r\n..c\r\n.\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int c; (c = data.read()) >= 0; ) {
            out.write(c);
        }
        assertThat(out.toString(StandardCharsets.US_ASCII)).isEqualTo("ab\r\n.c\r\n");
        assertThat(data.read()).isEqualTo(-1);
    }

    @Test
    void theConnectionEndingBeforeTheTerminatorIsAnEofException() {
        for (String cut : new String[] {"", "abc", "abc\r\n", "abc\r\n.", "abc\r\n.\r"}) {
            InputStream data = new SmtpDataStream(
                    new BufferedInputStream(new ByteArrayInputStream(cut.getBytes(StandardCharsets.US_ASCII))));
            assertThatThrownBy(() -> data.readAllBytes()).as("input '%s'", cut).isInstanceOf(EOFException.class);
        }
    }

    private static String decode(String raw) throws IOException {
        InputStream data = new SmtpDataStream(
                new BufferedInputStream(new ByteArrayInputStream((raw + NEXT).getBytes(StandardCharsets.ISO_8859_1))));
        return new String(data.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /**
     * RFC 5321 §4.5.2, line by line: the line "." ends the data; a leading dot of any other line is
     * removed, unless a bare LF follows it. Writes the message to out; returns how many bytes of raw the data section took.
     */
    private static int reference(byte[] raw, ByteArrayOutputStream out) {
        int lineStart = 0;
        while (true) {
            int end = lineStart;
            while (!(raw[end] == '\r' && raw[end + 1] == '\n')) {
                end++;
            }
            if (end - lineStart == 1 && raw[lineStart] == '.') {
                return end + 2;
            }
            int from = raw[lineStart] == '.' && raw[lineStart + 1] != '\n' ? lineStart + 1 : lineStart;
            out.write(raw, from, end + 2 - from);
            lineStart = end + 2;
        }
    }

    private static byte[] subEthaSmtp(byte[] raw) throws IOException {
        return new DotUnstuffingInputStream(new DotTerminatedInputStream(new ByteArrayInputStream(raw))).readAllBytes();
    }

    private static byte[] readAll(InputStream in, int readSize) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[readSize + 3];
        for (int n; (n = in.read(buffer, 3, readSize)) >= 0; ) {
            assertThat(n).isPositive();
            out.write(buffer, 3, n);
        }
        return out.toByteArray();
    }

    /** Hands out the bytes a few at a time, like a socket. */
    private static final class TrickleInputStream extends InputStream {
        private final byte[] bytes;
        private final Random random;
        private int pos;

        TrickleInputStream(byte[] bytes, Random random) {
            this.bytes = bytes;
            this.random = random;
        }

        @Override
        public int read() {
            return pos < bytes.length ? bytes[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos >= bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 1 + random.nextInt(700)), bytes.length - pos);
            System.arraycopy(bytes, pos, b, off, n);
            pos += n;
            return n;
        }

        @Override
        public int available() {
            return random.nextBoolean() ? 0 : Math.min(3, bytes.length - pos);
        }
    }
}
