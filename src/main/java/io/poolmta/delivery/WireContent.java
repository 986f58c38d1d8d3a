package io.poolmta.delivery;

import java.io.ByteArrayOutputStream;

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

    static WireContent encode(byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(content.length + content.length / 32 + 8);
        boolean lineStart = true;
        boolean eightBit = false;
        long size = 0;
        long stuffed = 0;
        for (int i = 0; i < content.length; i++) {
            byte b = content[i];
            if (b == CR || b == LF) {
                if (b == CR && i + 1 < content.length && content[i + 1] == LF) {
                    i++;
                }
                out.write(CR);
                out.write(LF);
                size += 2;
                lineStart = true;
                continue;
            }
            if (lineStart && b == DOT) {
                out.write(DOT);
                stuffed++;
            }
            eightBit |= b < 0;
            out.write(b);
            size++;
            lineStart = false;
        }
        if (!lineStart) {
            out.write(CR);
            out.write(LF);
            size += 2;
        }
        out.write(DOT);
        out.write(CR);
        out.write(LF);
        assert out.size() == size + stuffed + 3;
        return new WireContent(out.toByteArray(), size, eightBit);
    }
}
