package io.poolmta.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The per-hour count, and giving back a message that was counted but never sent. */
class HourlyLimitTest {
    private static final Instant TEN_PAST = Instant.parse("2025-06-02T09:10:00Z");

    @Test
    void aGivenBackMessageMakesRoomInTheHourItWasCountedIn() {
        HourlyLimit limit = new HourlyLimit();
        assertThat(limit.tryTake("127.0.0.11", "google", TEN_PAST, 2)).isTrue();
        assertThat(limit.tryTake("127.0.0.11", "google", TEN_PAST, 2)).isTrue();
        assertThat(limit.tryTake("127.0.0.11", "google", TEN_PAST, 2)).isFalse();

        limit.giveBack("127.0.0.11", "google", TEN_PAST);

        assertThat(limit.tryTake("127.0.0.11", "google", TEN_PAST.plusSeconds(60), 2))
                .isTrue();
        assertThat(limit.tryTake("127.0.0.11", "google", TEN_PAST.plusSeconds(60), 2))
                .isFalse();
    }

    @Test
    void givingBackNeverGoesBelowZeroNorTouchesAnotherHour() {
        HourlyLimit limit = new HourlyLimit();
        limit.giveBack("127.0.0.11", "google", TEN_PAST);
        assertThat(limit.tryTake("127.0.0.11", "google", TEN_PAST, 1)).isTrue();
        limit.giveBack("127.0.0.11", "google", TEN_PAST.minusSeconds(3600));

        assertThat(limit.tryTake("127.0.0.11", "google", TEN_PAST, 1)).isFalse();
    }
}
