package io.poolmta.message;

import io.poolmta.common.PoolMtaException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Objects;

/**
 * A piece of text (subject or body) and the character set it goes out in (SES's {@code Content}:
 * {@code Data} + {@code Charset}). Invariant: every character of {@code data} can be written in
 * {@code charset}. Without a charset, UTF-8 is used (SES would assume 7-bit ASCII and garble
 * anything else).
 */
public record Content(String data, Charset charset) {

    public Content {
        Objects.requireNonNull(data);
        Objects.requireNonNull(charset);
        if (!canEncode(data, charset)) {
            throw PoolMtaException.badRequest("The text cannot be written in the charset " + charset.name()
                    + "; choose a charset that holds all of its characters, such as UTF-8.");
        }
    }

    public static Content utf8(String data) {
        return new Content(data, StandardCharsets.UTF_8);
    }

    /** Content in the named charset ({@code null} or blank for UTF-8); BAD_REQUEST for an unknown name. */
    public static Content of(String data, String charsetName) {
        if (data == null) {
            throw PoolMtaException.badRequest("Content Data is required.");
        }
        if (charsetName == null || charsetName.isBlank()) {
            return utf8(data);
        }
        try {
            return new Content(data, Charset.forName(charsetName.strip()));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            throw PoolMtaException.badRequest("Unknown charset '" + UserText.shown(charsetName) + "'.");
        }
    }

    /** The text with every line break (CRLF, CR or LF) written as CRLF, as MIME text requires. */
    String canonicalLines() {
        return canonicalLines(data);
    }

    static String canonicalLines(String text) {
        int n = text.length();
        int i = canonicalPrefix(text);
        if (i == n) {
            return text;
        }
        StringBuilder out = new StringBuilder(n + 16).append(text, 0, i);
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (c == '\r') {
                out.append("\r\n");
                if (i + 1 < n && text.charAt(i + 1) == '\n') {
                    i++;
                }
            } else if (c == '\n') {
                out.append("\r\n");
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The length of the longest prefix whose line breaks are all CRLF, found line by line with
     * {@link String#indexOf(int, int)} (vectorized by the JDK) rather than one character at a time.
     */
    private static int canonicalPrefix(String text) {
        int n = text.length();
        int i = 0;
        while (i < n) {
            int cr = text.indexOf('\r', i);
            int lf = text.indexOf('\n', i);
            if (cr < 0) {
                return lf < 0 ? n : lf; // no CR left: a LF is bare
            }
            if (lf >= 0 && lf < cr) {
                return lf; // a LF before the next CR is bare
            }
            if (lf != cr + 1) {
                return cr; // a CR not followed by LF
            }
            i = lf + 1;
        }
        return n;
    }

    /** UTF-8 holds every string without a lone surrogate; other charsets are asked. */
    private static boolean canEncode(String text, Charset charset) {
        if (!charset.equals(StandardCharsets.UTF_8)) {
            return charset.canEncode() && charset.newEncoder().canEncode(text);
        }
        return isLatin1(text) || !hasSurrogate(text) || surrogatesArePaired(text);
    }

    /**
     * Whether every character is at most U+00FF, so none is a surrogate: the text survives a
     * round trip through ISO-8859-1 unchanged. The JDK copies and compares with vectorized code:
     * on 50 KB 9 µs against 30 for the loop of {@link #hasSurrogate}, which C2 does not
     * vectorize (that loop was a quarter of the CPU of a 50 KB SendEmail's intake in
     * {@code bench/jmh.sh IntakeBenchmark}).
     */
    private static boolean isLatin1(String text) {
        return text.equals(new String(text.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.ISO_8859_1));
    }

    /** Whether any char is a surrogate: one branch-free pass, without copying the text. */
    private static boolean hasSurrogate(String text) {
        int any = 0;
        for (int i = 0, n = text.length(); i < n; i++) {
            int notSurrogate = (text.charAt(i) & 0xF800) ^ 0xD800; // 0 only for a surrogate
            any |= (notSurrogate - 1) >>> 31;
        }
        return any != 0;
    }

    private static boolean surrogatesArePaired(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }
}
