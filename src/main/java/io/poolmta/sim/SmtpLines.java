package io.poolmta.sim;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads CRLF- (or LF-) terminated lines from a client, one byte per character (ISO-8859-1, so a
 * line's length is its size in bytes). A line longer than the caller's maximum is consumed whole
 * and returned cut, with {@link #cut()} true. Not thread-safe.
 */
final class SmtpLines {
    private final InputStream in;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private boolean cut;
    private long length;

    SmtpLines(InputStream in) {
        this.in = in;
    }

    /** The next line without its terminator, or null at end of stream. */
    String read(int max) throws IOException {
        buffer.reset();
        cut = false;
        length = 0;
        int previous = -1;
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                if (previous == '\r') {
                    length--;
                }
                byte[] bytes = buffer.toByteArray();
                int n = !cut && bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            length++;
            previous = b;
            if (buffer.size() < max) {
                buffer.write(b);
            } else {
                cut = true;
            }
        }
        return null;
    }

    /** Whether the last line was longer than the maximum asked for. */
    boolean cut() {
        return cut;
    }

    /** The size in bytes of the last line without its terminator, including any part cut off. */
    long length() {
        return length;
    }

    /** Whether no more input can be read without blocking (time to flush pipelined replies). */
    boolean drained() throws IOException {
        return in.available() == 0;
    }
}
