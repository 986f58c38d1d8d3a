package io.poolmta.account;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The rolling 24-hour count: counted in memory, written in one batch per flush (never per
 * message), read back by a new instance, rolled off after 24 hours, and never over the quota with
 * recipients held for messages in flight.
 */
class RollingSendCountTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:03:00Z");

    /** A store that keeps rows in memory and records each batch written; nodes may share its rows. */
    static final class MemoryStore implements SendCountStore {
        record Row(String node, BucketCount count, long updatedMs) {}

        final String node;
        final Map<String, Row> rows;
        final List<Integer> batches = new ArrayList<>();

        MemoryStore() {
            this("a-node", new TreeMap<>());
        }

        MemoryStore(String node, Map<String, Row> rows) {
            this.node = node;
            this.rows = rows;
        }

        /** Another node's view of the same rows. */
        MemoryStore node(String name) {
            return new MemoryStore(name, rows);
        }

        @Override
        public List<BucketCount> since(long fromMs) {
            return rows.values().stream()
                    .filter(r -> r.node().equals(node) && r.count().bucketStartMs() >= fromMs)
                    .map(Row::count)
                    .toList();
        }

        @Override
        public List<NodeCount> othersSince(long fromMs) {
            return rows.values().stream()
                    .filter(r -> !r.node().equals(node) && r.count().bucketStartMs() >= fromMs)
                    .map(r -> new NodeCount(r.node(), r.count()))
                    .toList();
        }

        @Override
        public List<NodeCount> othersChangedSince(long updatedSinceMs) {
            return rows.values().stream()
                    .filter(r -> !r.node().equals(node) && r.updatedMs() >= updatedSinceMs)
                    .map(r -> new NodeCount(r.node(), r.count()))
                    .toList();
        }

        @Override
        public void putAll(List<BucketCount> counts, long nowMs) {
            batches.add(counts.size());
            counts.forEach(
                    c -> rows.put(node + "/" + c.accountId() + "/" + c.bucketStartMs(), new Row(node, c, nowMs)));
        }

        @Override
        public void deleteBefore(long cutoffMs) {
            rows.values().removeIf(r -> r.count().bucketStartMs() < cutoffMs);
        }
    }

    @Test
    void aThousandMessagesAreOneBatchedWriteAtTheNextFlush() {
        MemoryStore store = new MemoryStore();
        RollingSendCount count = new RollingSendCount(store, T0, true);

        for (int i = 0; i < 1000; i++) {
            count.commit(i % 2 == 0 ? "a" : "b", 1, false, T0.plusMillis(i));
        }

        assertThat(store.batches).isEmpty();
        count.flush(T0.plusSeconds(1));
        assertThat(store.batches).containsExactly(2); // one row per account and bucket, one batch
        assertThat(count.sentLast24Hours("a", T0.plusSeconds(1))).isEqualTo(500);
        count.flush(T0.plusSeconds(2));
        assertThat(store.batches).containsExactly(2); // nothing changed, nothing written
    }

    @Test
    void aNewInstanceReadsTheStoredCountAndItRollsOffAfter24Hours() {
        MemoryStore store = new MemoryStore();
        RollingSendCount before = new RollingSendCount(store, T0, true);
        before.commit("a", 3, false, T0);
        before.commit("a", 2, false, T0.plus(Duration.ofHours(20)));
        before.flush(T0.plus(Duration.ofHours(20)));

        RollingSendCount after = new RollingSendCount(store, T0.plus(Duration.ofHours(21)), true);

        assertThat(after.sentLast24Hours("a", T0.plus(Duration.ofHours(21)))).isEqualTo(5);
        assertThat(after.sentLast24Hours("a", T0.plus(Duration.ofHours(24)))).isEqualTo(5);
        assertThat(after.sentLast24Hours("a", T0.plus(Duration.ofHours(24).plusMinutes(10))))
                .isEqualTo(2);
        after.flush(T0.plus(Duration.ofHours(45)));
        assertThat(after.sentLast24Hours("a", T0.plus(Duration.ofHours(44).plusMinutes(10))))
                .isZero();
        after.flush(T0.plus(Duration.ofHours(45)));
        assertThat(store.rows).isEmpty();
    }

    @Test
    void recipientsHeldForMessagesInFlightCountAgainstTheQuota() {
        RollingSendCount count = new RollingSendCount(new MemoryStore(), T0, true);

        assertThat(count.tryReserve("a", 3, 5, T0)).isTrue();
        assertThat(count.tryReserve("a", 3, 5, T0)).isFalse();
        count.release("a", 3);
        assertThat(count.tryReserve("a", 3, 5, T0)).isTrue();
        count.commit("a", 3, true, T0);
        assertThat(count.tryReserve("a", 2, 5, T0)).isTrue();
        assertThat(count.tryReserve("a", 1, 5, T0)).isFalse();
        assertThat(count.sentLast24Hours("a", T0)).isEqualTo(3);
    }

    @Test
    void eachNodeCountsWhatTheOthersStoredAtItsNextFlush() {
        MemoryStore a = new MemoryStore();
        MemoryStore b = a.node("b-node");
        RollingSendCount nodeA = new RollingSendCount(a, T0, true);
        RollingSendCount nodeB = new RollingSendCount(b, T0, true);

        nodeA.commit("acct", 3, false, T0);
        assertThat(nodeB.sentLast24Hours("acct", T0)).isZero(); // not stored yet
        nodeA.flush(T0.plusSeconds(1));
        nodeB.flush(T0.plusSeconds(1));

        assertThat(nodeB.sentLast24Hours("acct", T0.plusSeconds(1))).isEqualTo(3);
        assertThat(nodeB.tryReserve("acct", 3, 5, T0.plusSeconds(1))).isFalse();
        assertThat(nodeB.tryReserve("acct", 2, 5, T0.plusSeconds(1))).isTrue();
        nodeB.commit("acct", 2, true, T0.plusSeconds(1));
        nodeB.flush(T0.plusSeconds(2));
        nodeA.flush(T0.plusSeconds(2));
        assertThat(nodeA.sentLast24Hours("acct", T0.plusSeconds(2))).isEqualTo(5);
        assertThat(nodeA.sentLast24Hours("acct", T0.plusSeconds(2)))
                .isEqualTo(nodeB.sentLast24Hours("acct", T0.plusSeconds(2)));

        RollingSendCount restartedA = new RollingSendCount(a, T0.plusSeconds(3), true);
        assertThat(restartedA.sentLast24Hours("acct", T0.plusSeconds(3))).isEqualTo(5); // its 3 and b's 2
    }

    @Test
    void aNodeAloneReadsTheOthersRowsAtStartOnly() {
        MemoryStore a = new MemoryStore();
        MemoryStore b = a.node("b-node");
        RollingSendCount nodeB = new RollingSendCount(b, T0, true);
        nodeB.commit("acct", 2, false, T0);
        nodeB.flush(T0.plusSeconds(1)); // rows from before: an earlier cluster, say
        RollingSendCount alone = new RollingSendCount(a, T0.plusSeconds(2), false);
        assertThat(alone.sentLast24Hours("acct", T0.plusSeconds(2))).isEqualTo(2);

        nodeB.commit("acct", 3, false, T0.plusSeconds(2));
        nodeB.flush(T0.plusSeconds(3));
        alone.commit("acct", 1, false, T0.plusSeconds(3));
        alone.flush(T0.plusSeconds(4));
        assertThat(alone.sentLast24Hours("acct", T0.plusSeconds(4)))
                .as("no other node writes while it runs: its flush does not read their rows")
                .isEqualTo(3);
        assertThat(new RollingSendCount(b, T0.plusSeconds(5), true).sentLast24Hours("acct", T0.plusSeconds(5)))
                .as("its own row was stored")
                .isEqualTo(6);
    }

    @Test
    void aReadAddsOnlyWhatChangedAndSkipsRowsWrittenLongBefore() {
        MemoryStore a = new MemoryStore();
        MemoryStore b = a.node("b-node");
        RollingSendCount nodeA = new RollingSendCount(a, T0, true);
        RollingSendCount nodeB = new RollingSendCount(b, T0, true);

        nodeA.commit("acct", 4, false, T0);
        nodeA.flush(T0.plusSeconds(1));
        nodeB.flush(T0.plusSeconds(1));
        nodeB.flush(T0.plusSeconds(2)); // re-reads a's row (inside the clock-skew overlap): adds nothing
        assertThat(nodeB.sentLast24Hours("acct", T0.plusSeconds(2))).isEqualTo(4);

        nodeA.commit("acct", 1, false, T0.plusSeconds(2));
        nodeA.flush(T0.plusSeconds(3));
        nodeB.flush(T0.plusSeconds(3));
        assertThat(nodeB.sentLast24Hours("acct", T0.plusSeconds(3))).isEqualTo(5);

        // a minute later the unchanged row is no longer read at all
        int before = a.othersChangedSince(0).size() + b.othersChangedSince(0).size();
        assertThat(b.othersChangedSince(T0.plusSeconds(63).toEpochMilli() - RollingSendCount.CLOCK_SKEW.toMillis()))
                .isEmpty();
        nodeB.flush(T0.plusSeconds(63));
        assertThat(nodeB.sentLast24Hours("acct", T0.plusSeconds(63))).isEqualTo(5);
        assertThat(before).isEqualTo(1);
    }
}
