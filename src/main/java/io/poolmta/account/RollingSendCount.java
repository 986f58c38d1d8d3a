package io.poolmta.account;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * How many recipients each account had accepted in the last 24 hours (SES's SentLast24Hours, the
 * figure the daily quota is checked against). Counts live in memory in ten-minute buckets, at most
 * {@value #SLOTS} per account that sent in the last day (about 2.3 KB each); a message counts for
 * at least 24 hours and at most 24 hours 10 minutes. A message is counted in two steps so that the
 * quota is never overrun by messages in flight: {@link #tryReserve} before it is stored, then
 * {@link #commit} once it is accepted or {@link #release} if it was not. {@link #flush} writes the
 * changed buckets in one transaction (the server calls it every second and on a clean stop), so a
 * restart keeps the count; a crash loses at most the counts since the last flush.
 *
 * <p>In a cluster each node counts what it accepted and, at every flush, reads the rows the other
 * nodes wrote since {@link #CLOCK_SKEW} before its last read, adding only what changed: the
 * account's count is its own plus theirs. The others' part is at most two flush periods old (their
 * flush, then this one), which bounds how far a cluster can go over a quota; a read costs what the
 * others changed, not the size of the window. A node alone (the embedded database: no other node
 * writes there) reads the others' rows once, at start, and not at every flush: on an idle server
 * that query was the largest part of the once-a-second flush (bench/idle-cpu.sh).
 */
public final class RollingSendCount {
    public static final Duration BUCKET = Duration.ofMinutes(10);
    public static final Duration WINDOW = Duration.ofHours(24);
    private static final long BUCKET_MS = BUCKET.toMillis();
    /** The current bucket and the 144 before it. */
    static final int SLOTS = (int) (WINDOW.toMillis() / BUCKET_MS) + 1;

    private record Key(String accountId, long bucket) {}

    /** One account's buckets, a ring indexed by bucket number; guarded by itself. */
    private static final class Window {
        final long[] bucket = new long[SLOTS];
        final long[] count = new long[SLOTS];
        long reserved;

        Window() {
            Arrays.fill(bucket, Long.MIN_VALUE);
        }

        long sum(long now) {
            long total = 0;
            for (int i = 0; i < SLOTS; i++) {
                if (bucket[i] > now - SLOTS && bucket[i] <= now) {
                    total += count[i];
                }
            }
            return total;
        }

        void add(long b, long n) {
            int slot = (int) Math.floorMod(b, (long) SLOTS);
            if (bucket[slot] != b) {
                bucket[slot] = b;
                count[slot] = 0;
            }
            count[slot] += n;
        }

        long countOf(long b) {
            int slot = (int) Math.floorMod(b, (long) SLOTS);
            return bucket[slot] == b ? count[slot] : 0;
        }
    }

    /** How far apart node clocks may be: each read of the others' rows reaches back this much. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private record NodeKey(String node, String accountId, long bucket) {}

    private final SendCountStore store;
    /** Whether other nodes write to the store (a cluster): only then does a flush read their rows. */
    private final boolean shared;

    private final Map<String, Window> windows = new ConcurrentHashMap<>();
    /** What the other nodes stored, as last read, per account; each window guarded by itself. */
    private final Map<String, Window> others = new ConcurrentHashMap<>();
    /** The other nodes' rows as last read; only the flushing thread (and the constructor) uses it. */
    private final Map<NodeKey, Long> known = new HashMap<>();
    /** When the last read of the others' rows began. */
    private long lastRead;

    private final Set<Key> dirty = ConcurrentHashMap.newKeySet();
    /** The bucket of the last sweep; only the flushing thread reads and writes it. */
    private volatile long lastSweep = Long.MIN_VALUE;

    /**
     * Loads the stored buckets of the last 24 hours; {@code shared} says whether other nodes write
     * to the store while this one runs (else their rows are read at start only).
     */
    public RollingSendCount(SendCountStore store, Instant now, boolean shared) {
        this.store = store;
        this.shared = shared;
        long current = bucketOf(now);
        for (SendCountStore.BucketCount c : store.since((current - SLOTS + 1) * BUCKET_MS)) {
            Window w = windows.computeIfAbsent(c.accountId(), id -> new Window());
            w.add(c.bucketStartMs() / BUCKET_MS, c.sent());
        }
        store.othersSince((current - SLOTS + 1) * BUCKET_MS).forEach(this::merge);
        lastRead = now.toEpochMilli();
    }

    /** Adds what changed in another node's row since it was last read. */
    private void merge(SendCountStore.NodeCount other) {
        SendCountStore.BucketCount c = other.count();
        long bucket = c.bucketStartMs() / BUCKET_MS;
        Long before = known.put(new NodeKey(other.node(), c.accountId(), bucket), c.sent());
        long delta = c.sent() - (before == null ? 0 : before);
        if (delta != 0) {
            Window w = others.computeIfAbsent(c.accountId(), id -> new Window());
            synchronized (w) {
                w.add(bucket, delta);
            }
        }
    }

    /** What the other nodes sent for the account in the window, as of the last flush. */
    private long othersSum(String accountId, long now) {
        Window w = others.get(accountId);
        if (w == null) {
            return 0;
        }
        synchronized (w) {
            return w.sum(now);
        }
    }

    private static long bucketOf(Instant now) {
        return Math.floorDiv(now.toEpochMilli(), BUCKET_MS);
    }

    public long sentLast24Hours(String accountId, Instant now) {
        long b = bucketOf(now);
        Window w = windows.get(accountId);
        if (w == null) {
            return othersSum(accountId, b);
        }
        synchronized (w) {
            return w.sum(b) + othersSum(accountId, b);
        }
    }

    /**
     * Holds {@code recipients} against the account's quota of {@code max} per 24 hours: false (and
     * nothing held) when what was sent, what is held and these would go over it.
     */
    public boolean tryReserve(String accountId, long recipients, long max, Instant now) {
        Window w = windows.computeIfAbsent(accountId, id -> new Window());
        long b = bucketOf(now);
        synchronized (w) {
            if (w.sum(b) + othersSum(accountId, b) + w.reserved + recipients > max) {
                return false;
            }
            w.reserved += recipients;
            return true;
        }
    }

    /** Counts {@code recipients} as sent now; {@code reserved} says whether they were held first. */
    public void commit(String accountId, long recipients, boolean reserved, Instant now) {
        Window w = windows.computeIfAbsent(accountId, id -> new Window());
        long b = bucketOf(now);
        synchronized (w) {
            if (reserved) {
                w.reserved = Math.max(0, w.reserved - recipients);
            }
            w.add(b, recipients);
        }
        dirty.add(new Key(accountId, b));
    }

    /** Lets go of recipients held by {@link #tryReserve} for a message that was not accepted. */
    public void release(String accountId, long recipients) {
        Window w = windows.get(accountId);
        if (w != null) {
            synchronized (w) {
                w.reserved = Math.max(0, w.reserved - recipients);
            }
        }
    }

    /**
     * Writes the buckets changed since the last flush and reads the other nodes' counts; once per
     * bucket, forgets accounts with nothing in the window and stored buckets older than it. One
     * caller at a time.
     */
    public void flush(Instant now) {
        long current = bucketOf(now);
        List<SendCountStore.BucketCount> changed = new ArrayList<>();
        for (Key key : Set.copyOf(dirty)) {
            dirty.remove(key);
            Window w = windows.get(key.accountId());
            if (w != null) {
                synchronized (w) {
                    changed.add(new SendCountStore.BucketCount(
                            key.accountId(), key.bucket() * BUCKET_MS, w.countOf(key.bucket())));
                }
            }
        }
        try {
            if (!changed.isEmpty()) {
                store.putAll(changed, now.toEpochMilli());
            }
        } catch (RuntimeException e) {
            changed.forEach(c -> dirty.add(new Key(c.accountId(), c.bucketStartMs() / BUCKET_MS)));
            throw e;
        }
        if (shared) {
            long readAt = now.toEpochMilli();
            store.othersChangedSince(lastRead - CLOCK_SKEW.toMillis()).forEach(this::merge);
            lastRead = readAt;
        }
        if (current != lastSweep) { // once per bucket: forget idle accounts and old rows
            windows.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    return e.getValue().reserved == 0 && e.getValue().sum(current) == 0;
                }
            });
            known.keySet().removeIf(k -> k.bucket() <= current - SLOTS);
            others.entrySet().removeIf(e -> {
                synchronized (e.getValue()) {
                    return e.getValue().sum(current) == 0;
                }
            });
            store.deleteBefore((current - SLOTS + 1) * BUCKET_MS);
            lastSweep = current;
        }
    }
}
