package io.poolmta.delivery.smtp;

import java.util.List;
import java.util.Locale;

/**
 * The ESMTP extensions a server announced in its EHLO reply, as far as the client uses them.
 * {@code maxSize} is the SIZE limit in bytes, 0 when the server announced none (or said "SIZE 0").
 */
record EhloCapabilities(boolean pipelining, boolean startTls, boolean eightBitMime, boolean size, long maxSize) {
    /** What a server greeted with HELO offers: nothing. */
    static final EhloCapabilities NONE = new EhloCapabilities(false, false, false, false, 0);

    /** Parses the lines of a 250 EHLO reply; the first line is the server's name, each other a keyword. */
    static EhloCapabilities parse(List<String> lines) {
        boolean pipelining = false;
        boolean startTls = false;
        boolean eightBitMime = false;
        boolean size = false;
        long maxSize = 0;
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] words = line.strip().split("\\s+");
            switch (words[0].toUpperCase(Locale.ROOT)) {
                case "PIPELINING" -> pipelining = true;
                case "STARTTLS" -> startTls = true;
                case "8BITMIME" -> eightBitMime = true;
                case "SIZE" -> {
                    size = true;
                    maxSize = words.length > 1 ? parseSize(words[1]) : 0;
                }
                default -> {}
            }
        }
        return new EhloCapabilities(pipelining, startTls, eightBitMime, size, maxSize);
    }

    private static long parseSize(String word) {
        try {
            return Math.max(0, Long.parseLong(word));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
