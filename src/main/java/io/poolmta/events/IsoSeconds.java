package io.poolmta.events;

import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * {@link DateTimeFormatter#ISO_INSTANT} of an instant truncated to the millisecond, with the
 * formatted second remembered: events come many to a second, and only the milliseconds change
 * between them. Thread-safe (one immutable holder, replaced whole).
 */
final class IsoSeconds {
    private record Second(long epochSecond, String prefix) {}

    private static volatile Second last = new Second(Long.MIN_VALUE, "");

    private IsoSeconds() {}

    static String format(Instant instant) {
        long second = instant.getEpochSecond();
        Second cached = last;
        if (cached.epochSecond() != second) {
            String whole = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(second));
            cached = new Second(second, whole.substring(0, whole.length() - 1)); // without the 'Z'
            last = cached;
        }
        int millis = instant.getNano() / 1_000_000;
        if (millis == 0) {
            return cached.prefix() + "Z";
        }
        StringBuilder out = new StringBuilder(cached.prefix().length() + 5)
                .append(cached.prefix())
                .append('.');
        if (millis < 100) {
            out.append('0');
        }
        if (millis < 10) {
            out.append('0');
        }
        return out.append(millis).append('Z').toString();
    }
}
