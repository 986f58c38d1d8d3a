package io.poolmta.suppression;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The open-addressing index against a HashMap, under clustering, growth and removals. */
class AddressIndexTest {
    @Test
    void agreesWithAMapUnderRandomPutsAndRemovesThatCollide() {
        Random random = new Random(17);
        AddressIndex index = new AddressIndex();
        Map<Long, SuppressionReason> expected = new HashMap<>();
        List<Long> keys = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            // few distinct home slots (the high half), so probe sequences overlap and wrap around
            long hash = ((long) random.nextInt(64) << 32) | ((long) random.nextInt(1 << 20) << 2);
            keys.add(hash == 0 ? 4 : hash);
        }
        for (int step = 0; step < 40_000; step++) {
            long key = keys.get(random.nextInt(keys.size()));
            if (random.nextInt(3) == 0) {
                index.remove(key);
                expected.remove(key);
            } else {
                SuppressionReason reason =
                        random.nextBoolean() ? SuppressionReason.BOUNCE : SuppressionReason.COMPLAINT;
                index.put(key, reason);
                expected.put(key, reason);
            }
            if (step % 997 == 0) {
                for (long k : keys) {
                    assertThat(index.get(k)).as("key %x at step %d", k, step).isEqualTo(expected.get(k));
                }
            }
        }
        for (long k : keys) {
            assertThat(index.get(k)).isEqualTo(expected.get(k));
        }
        assertThat(index.size()).isEqualTo(expected.size());
    }

    @Test
    void theReasonBitsDoNotSplitAnAddress() {
        AddressIndex index = new AddressIndex();
        long hash = SuppressionAddresses.hash("jane@example.com");
        index.put(hash, SuppressionReason.BOUNCE);
        index.put(hash, SuppressionReason.COMPLAINT);
        assertThat(index.size()).isEqualTo(1);
        assertThat(index.get(hash)).isEqualTo(SuppressionReason.COMPLAINT);
        assertThat(index.get(SuppressionAddresses.hash("john@example.com"))).isNull();
        index.remove(hash);
        assertThat(index.get(hash)).isNull();
        assertThat(index.size()).isZero();
    }
}
