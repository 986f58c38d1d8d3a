package io.poolmta.message;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** RFC 5322 date-time for the Date header, always in UTC with a numeric zone: "Tue, 3 Jun 2025 10:15:30 +0000". */
final class MailDates {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private MailDates() {
    }

    static String format(Instant instant) {
        return FORMAT.format(instant);
    }
}
