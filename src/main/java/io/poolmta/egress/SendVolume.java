package io.poolmta.egress;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How many messages each IP has been given in its current warm-up day window. Counting is in
 * memory (it is on the path of every message); the first use of a window reads its stored count,
 * and {@link #flush()} writes changed counts back, so a restart does not reset a day's cap. A crash
 * loses at most the counts since the last flush.
 */
public final class SendVolume {
    private record Key(String address, Instant windowStart) {}

    private final VolumeStore store;
    private final Map<Key, AtomicLong> counts = new ConcurrentHashMap<>();
    private final Set<Key> dirty = ConcurrentHashMap.newKeySet();
    private volatile Instant prunedThrough = Instant.MIN;

    public SendVolume(VolumeStore store) {
        this.store = store;
    }

    public long get(String address, Instant windowStart) {
        return counter(new Key(address, windowStart)).get();
    }

    /** Adds one if the count is below {@code cap}; false when the cap is reached. */
    public boolean tryAdd(String address, Instant windowStart, long cap) {
        Key key = new Key(address, windowStart);
        AtomicLong counter = counter(key);
        while (true) {
            long now = counter.get();
            if (now >= cap) {
                return false;
            }
            if (counter.compareAndSet(now, now + 1)) {
                dirty.add(key);
                return true;
            }
        }
    }

    /** Takes back one message counted by {@link #tryAdd}. */
    public void remove(String address, Instant windowStart) {
        Key key = new Key(address, windowStart);
        counter(key).updateAndGet(n -> Math.max(0, n - 1));
        dirty.add(key);
    }

    private AtomicLong counter(Key key) {
        return counts.computeIfAbsent(key, k -> new AtomicLong(store.get(k.address(), k.windowStart())));
    }

    /**
     * Writes changed counts and forgets windows older than two days. Nothing changed costs nothing:
     * the stored windows are pruned once per hour of the clock, not at every flush.
     */
    public void flush(Instant now) {
        if (!dirty.isEmpty()) {
            for (Key key : Set.copyOf(dirty)) {
                dirty.remove(key);
                store.put(key.address(), key.windowStart(), counts.get(key).get());
            }
        }
        Instant cutoff = now.minus(Duration.ofDays(2)).truncatedTo(ChronoUnit.HOURS);
        if (cutoff.isAfter(prunedThrough)) {
            counts.keySet().removeIf(k -> k.windowStart().isBefore(cutoff) && !dirty.contains(k));
            store.deleteBefore(cutoff);
            prunedThrough = cutoff;
        }
    }
}
