package io.poolmta.managed;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unmet demand of managed pools: source selection counts each message it could not place because
 * no IP of the pool had room for the provider today; the scaler drains the counts.
 */
public final class ManagedDemand {
    /** One provider's misses in one pool of one account. */
    public record Key(String accountId, String pool, String provider) {}

    private final Map<Key, AtomicLong> misses = new ConcurrentHashMap<>();

    public void recordMiss(String accountId, String pool, String provider) {
        misses.computeIfAbsent(new Key(accountId, pool, provider), k -> new AtomicLong())
                .incrementAndGet();
    }

    /** The misses counted since the last drain, and resets them. */
    public Map<Key, Long> drain() {
        Map<Key, Long> out = new LinkedHashMap<>();
        for (Key key : List.copyOf(misses.keySet())) {
            AtomicLong count = misses.remove(key);
            if (count != null && count.get() > 0) {
                out.put(key, count.get());
            }
        }
        return out;
    }
}
