package io.poolmta.submission;

import io.poolmta.common.Bytes;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Objects;

/**
 * The message text of one DATA command, read from the session's input (RFC 5321 §4.5.2): ends at
 * the line holding a single dot ({@code CRLF.CRLF}, where the first CRLF belongs to the message),
 * and loses the dot that starts any other line beginning with one (dot-unstuffing, the first line
 * included), except a dot followed by a bare LF: {@code .<LF>} is neither the end of the data nor a
 * stuffed dot, and some receivers read it as an end, so it is kept exactly as sent. Works in bulk: it marks {@code in}, reads a chunk, decodes it, and on reaching the
 * terminator resets and skips exactly the bytes it used, so a pipelined next command stays unread
 * in {@code in}. {@code in} must support mark/reset (the session's BufferedInputStream does). The
 * input ending before the terminator is an {@link EOFException}. Not thread-safe.
 */
final class SmtpDataStream extends InputStream {
    private static final int CHUNK = 8192;

    /** Where the decoder stands: at a line start, after a line-start dot, after that dot and a CR, mid-line, after a CR. */
    private enum State {
        LINE_START,
        DOT,
        DOT_CR,
        MID,
        CR
    }

    private final InputStream in;
    private final byte[] chunk = new byte[CHUNK];
    private final byte[] one = new byte[1];
    private State state = State.LINE_START;
    private int carry = -1;
    private boolean ended;

    SmtpDataStream(InputStream in) {
        if (!in.markSupported()) {
            throw new IllegalArgumentException("the input must support mark/reset");
        }
        this.in = in;
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        int o = off;
        int end = off + len;
        if (carry >= 0) {
            b[o++] = (byte) carry;
            carry = -1;
        }
        while (o == off && !ended) {
            o = decodeChunk(b, o, end);
        }
        return o == off ? -1 : o - off;
    }

    /** Decodes one chunk of input into b[o, end); returns the new o. */
    private int decodeChunk(byte[] b, int o, int end) throws IOException {
        int want = Math.min(CHUNK, end - o);
        in.mark(want);
        int n = in.read(chunk, 0, want);
        if (n < 0) {
            throw new EOFException("the connection ended inside DATA, before <CRLF>.<CRLF>");
        }
        int i = 0;
        while (i < n && o < end && !ended) {
            if (state == State.MID) { // most bytes: copy them up to a CR that needs a look, in one go
                int stop = Math.min(n, i + (end - o));
                int j = Bytes.indexOf(chunk, i, stop, (byte) '\r');
                // a CRLF whose next line starts with a plain byte (no dot, CR or LF) changes nothing:
                // it stays in the run, which goes on past that byte, still mid-line
                while (j + 2 < stop && chunk[j + 1] == '\n' && plainLineStart(chunk[j + 2])) {
                    j = Bytes.indexOf(chunk, j + 3, stop, (byte) '\r');
                }
                System.arraycopy(chunk, i, b, o, j - i);
                o += j - i;
                i = j;
                if (j == stop) {
                    continue;
                }
            }
            byte c = chunk[i++];
            switch (state) {
                case LINE_START -> {
                    if (c == '.') {
                        state = State.DOT;
                    } else {
                        o = text(b, o, c);
                    }
                }
                case DOT -> {
                    if (c == '\r') {
                        state = State.DOT_CR;
                    } else if (c == '\n') {
                        // ".<LF>" is not the end of the data, nor a stuffed dot of a CRLF line: kept as sent
                        b[o++] = '.';
                        state = State.MID;
                        if (o < end) {
                            o = text(b, o, c);
                        } else {
                            state = after(State.MID, c);
                            carry = c & 0xff;
                        }
                    } else {
                        o = text(b, o, c); // the dot is dropped
                    }
                }
                case DOT_CR -> {
                    if (c == '\n') {
                        ended = true; // the line "." ends the data
                    } else {
                        b[o++] = '\r'; // a line ".\r..." that is not the end: the dot is dropped, the CR kept
                        if (o < end) {
                            o = text(b, o, c);
                        } else {
                            state = after(State.MID, c);
                            carry = c & 0xff;
                        }
                    }
                }
                case MID, CR -> o = text(b, o, c);
            }
        }
        if (i < n) { // stopped early: give the unused bytes back to the input
            in.reset();
            in.skipNBytes(i);
        }
        return o;
    }

    private static boolean plainLineStart(byte c) {
        return c != '.' && c != '\r' && c != '\n';
    }

    /** Writes a text byte and moves the state on. */
    private int text(byte[] b, int o, byte c) {
        b[o] = c;
        state = after(state, c);
        return o + 1;
    }

    private static State after(State state, byte c) {
        if (c == '\r') {
            return State.CR;
        }
        return c == '\n' && state == State.CR ? State.LINE_START : State.MID;
    }
}
