package io.poolmta.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolmta.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MessageIdsTest {
    private static final Instant T0 = Instant.parse("2025-06-03T10:15:30.123Z");

    @Test
    void idHasTheSesShapeWithTheClockMillisInHex() {
        String id = new MessageIds(new MutableClock(T0)).next();

        assertThat(id).matches("0100[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-000000");
        assertThat(id).hasSize(60);
        assertThat(id.substring(4, 16)).isEqualTo(String.format("%012x", T0.toEpochMilli()));
        assertThat(MessageIds.isMessageId(id)).isTrue();
        assertThat(MessageIds.timestampOf(id)).isEqualTo(T0);
    }

    @Test
    void idsOfTheSameMillisecondAreStillUnique() {
        MessageIds ids = new MessageIds(new MutableClock(T0));
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            assertThat(seen.add(ids.next())).isTrue();
        }
    }

    @Test
    void idsSortByTimeAsPlainStrings() {
        MutableClock clock = new MutableClock(Instant.ofEpochMilli(0xfff_ffff_fff0L));
        MessageIds ids = new MessageIds(clock);
        List<String> made = new ArrayList<>();
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            made.add(ids.next());
            clock.advance(Duration.ofMillis(1 + random.nextInt(5_000)));
        }
        assertThat(made).isSorted();
        assertThat(made).extracting(MessageIds::timestampOf).isSorted();
    }

    @Test
    void aClockBeforeTheEpochCannotStampAnId() {
        MessageIds ids = new MessageIds(new MutableClock(Instant.parse("1969-12-31T23:59:59Z")));
        assertThatThrownBy(ids::next).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void foreignIdsAreRecognised() {
        assertThat(MessageIds.isMessageId("not-an-id")).isFalse();
        assertThat(MessageIds.isMessageId(null)).isFalse();
        assertThatThrownBy(() -> MessageIds.timestampOf("0100XYZ")).isInstanceOf(IllegalArgumentException.class);
    }
}
