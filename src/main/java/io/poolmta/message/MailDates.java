package io.poolmta.message;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * RFC 5322 date-time for the Date header, always in UTC with a numeric zone: "Tue, 3 Jun 2025
 * 10:15:30 +0000". The last second formatted is remembered (messages come many to a second);
 * thread-safe (one immutable holder, replaced whole).
 */
final class MailDates {
    private static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern(
                    "EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private record Formatted(long epochSecond, String text) {}

    private static volatile Formatted last = new Formatted(Long.MIN_VALUE, "");

    private MailDates() {}

    static String format(Instant instant) {
        Formatted cached = last;
        if (cached.epochSecond() != instant.getEpochSecond()) {
            cached = new Formatted(instant.getEpochSecond(), FORMAT.format(instant));
            last = cached;
        }
        return cached.text();
    }
}
