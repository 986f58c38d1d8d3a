package io.poolmta.delivery;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A provider's messages-per-hour limit for one source IP, counted per clock hour in memory. A
 * message that finds the hour full waits for the next one.
 */
final class HourlyLimit {
    private record Key(String ip, String provider, long hour) {}

    private final Map<Key, AtomicLong> counts = new ConcurrentHashMap<>();

    /** Counts one message if the hour has room for it. */
    boolean tryTake(String ip, String provider, Instant now, int perHour) {
        long hour = now.getEpochSecond() / 3600;
        if (counts.size() > 10_000) {
            counts.keySet().removeIf(k -> k.hour() < hour);
        }
        AtomicLong count = counts.computeIfAbsent(new Key(ip, provider, hour), k -> new AtomicLong());
        while (true) {
            long n = count.get();
            if (n >= perHour) {
                return false;
            }
            if (count.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back one message counted at {@code takenAt} that was not sent after all. */
    void giveBack(String ip, String provider, Instant takenAt) {
        AtomicLong count = counts.get(new Key(ip, provider, takenAt.getEpochSecond() / 3600));
        if (count != null) {
            count.updateAndGet(n -> Math.max(0, n - 1));
        }
    }

    static Instant nextHour(Instant now) {
        return Instant.ofEpochSecond((now.getEpochSecond() / 3600 + 1) * 3600);
    }
}
