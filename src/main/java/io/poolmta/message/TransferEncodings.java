package io.poolmta.message;

import io.poolmta.common.Bytes;

/**
 * Chooses the Content-Transfer-Encoding of a MIME leaf so the bytes arrive unchanged and every line
 * stays within 998 octets. Text (line breaks already CRLF): {@code 7bit} when it is plain ASCII with
 * short lines, {@code quoted-printable} when at most a third of it is non-ASCII, else
 * {@code base64}. Attachments: the requested encoding when it is lossless for the bytes, else
 * {@code base64}.
 */
final class TransferEncodings {
    static final int MAX_LINE = 998;

    private TransferEncodings() {}

    static String forText(byte[] bytes) {
        int special = hasSpecial(bytes) ? countSpecial(bytes) : 0;
        if (special == 0 && !hasLongLine(bytes)) {
            return "7bit";
        }
        return special * 3L <= bytes.length ? "quoted-printable" : "base64";
    }

    /** Whether any byte is NUL, DEL or over 127: three scans of eight bytes a step (the usual answer is no). */
    private static boolean hasSpecial(byte[] bytes) {
        int n = bytes.length;
        return Bytes.hasHighBit(bytes)
                || Bytes.indexOf(bytes, 0, n, (byte) 0) < n
                || Bytes.indexOf(bytes, 0, n, (byte) 127) < n;
    }

    /** NUL, bytes over 127 and DEL: (byte) (b + 1) <= 1, counted without a branch. */
    private static int countSpecial(byte[] bytes) {
        int special = 0;
        for (byte b : bytes) {
            special += ((byte) (b + 1) - 2) >>> 31;
        }
        return special;
    }

    /**
     * Whether more than {@link #MAX_LINE} bytes follow each other without a CR or LF. Looks at each
     * line's first {@code MAX_LINE + 1} bytes from their end backwards: the last CR or LF among
     * them is where the next line starts, so the bytes before it need no look at all.
     */
    static boolean hasLongLine(byte[] bytes) {
        int start = 0;
        while (bytes.length - start > MAX_LINE) {
            int i = start + MAX_LINE;
            while (i >= start && bytes[i] != '\r' && bytes[i] != '\n') {
                i--;
            }
            if (i < start) {
                return true;
            }
            start = i + 1;
        }
        return false;
    }

    static String forAttachment(Attachment.TransferEncoding requested, byte[] bytes) {
        return switch (requested) {
            case BASE64 -> "base64";
            case QUOTED_PRINTABLE -> lineBreaksAreCrlf(bytes) ? "quoted-printable" : "base64";
            case SEVEN_BIT -> isSevenBit(bytes) ? "7bit" : "base64";
        };
    }

    /** Quoted-printable turns every CR and LF into a line break, so only CRLF pairs survive it. */
    private static boolean lineBreaksAreCrlf(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\r' && (i + 1 >= bytes.length || bytes[i + 1] != '\n')) {
                return false;
            }
            if (bytes[i] == '\n' && (i == 0 || bytes[i - 1] != '\r')) {
                return false;
            }
        }
        return true;
    }

    /** RFC 2045 7bit data: ASCII without NUL, CR and LF only as CRLF, lines of at most 998 octets. */
    static boolean isSevenBit(byte[] bytes) {
        if (!lineBreaksAreCrlf(bytes)) {
            return false;
        }
        int line = 0;
        for (byte b : bytes) {
            if (b <= 0) {
                return false;
            }
            line = b == '\r' || b == '\n' ? 0 : line + 1;
            if (line > MAX_LINE) {
                return false;
            }
        }
        return true;
    }
}
