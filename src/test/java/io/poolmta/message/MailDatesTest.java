package io.poolmta.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link MailDates} with its remembered second gives what the formatter gives, in any order of instants. */
class MailDatesTest {
    private static final DateTimeFormatter RFC_5322 = DateTimeFormatter.ofPattern(
                    "EEE, d MMM yyyy HH:mm:ss xx", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    @Test
    void formatsLikeTheFormatter() {
        assertThat(MailDates.format(Instant.parse("2025-06-03T10:15:30.999Z")))
                .isEqualTo("Tue, 3 Jun 2025 10:15:30 +0000");
        Random random = new Random(1);
        long second = 1_750_000_000L;
        for (int i = 0; i < 10_000; i++) {
            second += random.nextInt(3) == 0 ? random.nextInt(200_000) - 100_000 : 0;
            Instant instant = Instant.ofEpochSecond(second, random.nextInt(1_000_000_000));
            assertThat(MailDates.format(instant)).isEqualTo(RFC_5322.format(instant));
        }
    }
}
