package io.poolmta.delivery.smtp;

import io.poolmta.common.Bytes;
import java.util.Arrays;

/**
 * A message's content as it goes on the wire after DATA: every line ending (CRLF, bare LF, bare CR)
 * sent as CRLF (RFC 5321 §2.3.8), lines starting with "." dot-stuffed (§4.5.2), a final line
 * ending added when missing, and the terminating ".CRLF". Every other byte is sent unchanged.
 * <p>
 * The wire form is {@code body} then {@code tail}. Content as the spool holds it (CRLF lines, none
 * starting with a dot) is its own body, not copied: the tail is the missing line ending, if any,
 * and the terminator, and the connection writes both from where they are. Any other content is
 * encoded into a new array that is the whole wire form, with an empty tail.
 *
 * @param body the content itself, or its encoded wire form
 * @param tail what follows the body on the wire
 * @param size the message size as SIZE= declares it: CRLF-normalised, without stuffing or terminator
 * @param eightBit whether the content has bytes above 127 (BODY=8BITMIME)
 */
record WireContent(byte[] body, byte[] tail, long size, boolean eightBit) {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte DOT = '.';
    private static final byte[] TERMINATOR = {DOT, CR, LF};
    private static final byte[] LINE_END_AND_TERMINATOR = {CR, LF, DOT, CR, LF};
    private static final byte[] NOTHING = {};

    /**
     * Content as the spool holds it (CRLF lines, none starting with a dot) is recognised with
     * searches eight bytes at a time and kept as it is. Anything else takes two passes with no
     * per-byte calls: the first measures (so the result is allocated once, at its exact size), the
     * second copies each run of ordinary bytes with one arraycopy and writes only the line endings
     * and stuffed dots itself.
     */
    static WireContent encode(byte[] content) {
        WireContent plain = ofCrlfLines(content);
        return plain != null ? plain : encodeLineByLine(content);
    }

    /** Bytes on the wire, terminator included. */
    long length() {
        return (long) body.length + tail.length;
    }

    /** The whole wire form in one new array. */
    byte[] bytes() {
        byte[] all = Arrays.copyOf(body, Math.toIntExact(length()));
        System.arraycopy(tail, 0, all, body.length, tail.length);
        return all;
    }

    /**
     * The wire form of content whose line breaks are all CRLF and whose lines never start with a
     * dot (it needs only the final line ending and the terminator), or null for any other content.
     * Line breaks are found with {@link Bytes#indexOfEither}, eight bytes per step.
     */
    private static WireContent ofCrlfLines(byte[] content) {
        int n = content.length;
        if (n == 0 || content[0] == DOT) {
            return null;
        }
        int from = 0;
        while (from < n) {
            int end = Bytes.indexOfEither(content, from, n, CR, LF);
            if (end == n) {
                break; // the last line, without its CRLF
            }
            if (content[end] != CR || end + 1 == n || content[end + 1] != LF) {
                return null; // a bare CR or LF
            }
            from = end + 2;
            if (from < n && content[from] == DOT) {
                return null; // a line to stuff
            }
        }
        boolean open = !(n >= 2 && content[n - 2] == CR && content[n - 1] == LF); // the last line lacks its CRLF
        long size = n + (open ? 2 : 0);
        if (size + 3 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("message too large to send: " + (size + 3) + " bytes on the wire");
        }
        return new WireContent(content, open ? LINE_END_AND_TERMINATOR : TERMINATOR, size, Bytes.hasHighBit(content));
    }

    private static WireContent encodeLineByLine(byte[] content) {
        int n = content.length;
        long size = 0;
        long stuffed = 0;
        boolean eightBit = false;
        boolean lineStart = true;
        for (int i = 0; i < n; i++) {
            byte b = content[i];
            if (b == CR || b == LF) {
                if (b == CR && i + 1 < n && content[i + 1] == LF) {
                    i++;
                }
                size += 2;
                lineStart = true;
            } else {
                if (lineStart && b == DOT) {
                    stuffed++;
                }
                eightBit |= b < 0;
                size++;
                lineStart = false;
            }
        }
        if (!lineStart) {
            size += 2;
        }
        long total = size + stuffed + 3;
        if (total > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("message too large to send: " + total + " bytes on the wire");
        }
        byte[] out = new byte[(int) total];
        int o = 0;
        int i = 0;
        while (i < n) {
            // a line: its leading dot stuffed, then the run up to its line ending copied in one go
            if (content[i] == DOT) {
                out[o++] = DOT;
            }
            int j = i;
            while (j < n && content[j] != CR && content[j] != LF) {
                j++;
            }
            System.arraycopy(content, i, out, o, j - i);
            o += j - i;
            if (j < n) {
                j += content[j] == CR && j + 1 < n && content[j + 1] == LF ? 2 : 1;
            }
            out[o++] = CR;
            out[o++] = LF;
            i = j;
        }
        out[o++] = DOT;
        out[o++] = CR;
        out[o++] = LF;
        assert o == out.length;
        return new WireContent(out, NOTHING, size, eightBit);
    }
}
