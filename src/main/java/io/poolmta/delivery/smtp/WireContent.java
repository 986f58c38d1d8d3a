package io.poolmta.delivery.smtp;

import io.poolmta.common.Bytes;
import java.nio.charset.StandardCharsets;

/**
 * A message's content as it goes on the wire after DATA: every line ending (CRLF, bare LF, bare CR)
 * sent as CRLF (RFC 5321 §2.3.8), lines starting with "." dot-stuffed (§4.5.2), a final line
 * ending added when missing, and the terminating ".CRLF". Every other byte is sent unchanged.
 *
 * @param bytes the wire form including the terminator
 * @param size the message size as SIZE= declares it: CRLF-normalised, without stuffing or terminator
 * @param eightBit whether the content has bytes above 127 (BODY=8BITMIME)
 */
record WireContent(byte[] bytes, long size, boolean eightBit) {
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte DOT = '.';

    /**
     * Content as the spool holds it (CRLF lines, none starting with a dot) is recognised with
     * vectorized searches and then copied whole. Anything else takes two passes with no per-byte
     * calls: the first measures (so the result is allocated once, at its exact size), the second
     * copies each run of ordinary bytes with one arraycopy and writes only the line endings and
     * stuffed dots itself.
     */
    static WireContent encode(byte[] content) {
        WireContent plain = ofCrlfLines(content);
        return plain != null ? plain : encodeLineByLine(content);
    }

    /**
     * The wire form of content whose line breaks are all CRLF and whose lines never start with a
     * dot (it needs only the final line ending and the terminator), or null for any other content.
     * Lines are found with {@link String#indexOf(int, int)} over a Latin-1 view of the bytes (one
     * byte, one char), which the JDK searches with vector instructions.
     */
    private static WireContent ofCrlfLines(byte[] content) {
        int n = content.length;
        if (n == 0 || content[0] == DOT) {
            return null;
        }
        String text = new String(content, StandardCharsets.ISO_8859_1);
        int from = 0;
        while (from < n) {
            int cr = text.indexOf(CR, from);
            int lf = text.indexOf(LF, from);
            if (cr < 0) {
                if (lf >= 0) {
                    return null; // a bare LF
                }
                break; // the last line, without its CRLF
            }
            if (lf != cr + 1) {
                return null; // a bare CR or LF
            }
            from = lf + 1;
            if (from < n && content[from] == DOT) {
                return null; // a line to stuff
            }
        }
        boolean open = !(n >= 2 && content[n - 2] == CR && content[n - 1] == LF); // the last line lacks its CRLF
        long size = n + (open ? 2 : 0);
        if (size + 3 > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("message too large to send: " + (size + 3) + " bytes on the wire");
        }
        byte[] out = new byte[(int) size + 3];
        System.arraycopy(content, 0, out, 0, n);
        int o = n;
        if (open) {
            out[o++] = CR;
            out[o++] = LF;
        }
        out[o++] = DOT;
        out[o++] = CR;
        out[o] = LF;
        return new WireContent(out, size, Bytes.hasHighBit(content));
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
        return new WireContent(out, size, eightBit);
    }
}
