package io.poolmta.suppression;

import java.util.concurrent.locks.StampedLock;

/**
 * One account's suppression list in memory: for each address, the 64-bit hash of its normalised
 * form ({@link SuppressionAddresses#hash}) with the reason in its two low bits, in one open-addressing
 * table of longs (linear probing, at most three quarters full): 8 to 16 bytes an address, no object
 * per entry. Two addresses whose hashes agree in the 62 high bits share a slot, so a hit is
 * confirmed against the store; a miss is certain. Look-ups take no lock (an optimistic read,
 * retried under the read lock when a change overlapped it); changes are serialised.
 */
public final class AddressIndex {
    private static final long HASH_BITS = ~3L;
    private static final int MIN_CAPACITY = 16;

    private final StampedLock lock = new StampedLock();
    private volatile long[] slots = new long[MIN_CAPACITY];
    private int size;

    /** The reason stored for the address with this hash, or null when it is not on the list. */
    public SuppressionReason get(long hash) {
        long stamp = lock.tryOptimisticRead();
        if (stamp != 0) {
            SuppressionReason found = find(slots, hash);
            if (lock.validate(stamp)) {
                return found;
            }
        }
        stamp = lock.readLock();
        try {
            return find(slots, hash);
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** Adds the address with this hash, or replaces its reason. */
    public void put(long hash, SuppressionReason reason) {
        long stamp = lock.writeLock();
        try {
            long[] table = slots;
            if ((size + 1) * 4L > table.length * 3L) {
                table = grow(table);
            }
            int mask = table.length - 1;
            long entry = (hash & HASH_BITS) | code(reason);
            for (int i = index(hash, mask); ; i = (i + 1) & mask) {
                long slot = table[i];
                if (slot == 0) {
                    table[i] = entry;
                    size++;
                    return;
                }
                if ((slot & HASH_BITS) == (hash & HASH_BITS)) {
                    table[i] = entry;
                    return;
                }
            }
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    /** Removes the address with this hash, if present (backward-shift deletion: no tombstones). */
    public void remove(long hash) {
        long stamp = lock.writeLock();
        try {
            long[] table = slots;
            int mask = table.length - 1;
            int i = index(hash, mask);
            while (table[i] != 0 && (table[i] & HASH_BITS) != (hash & HASH_BITS)) {
                i = (i + 1) & mask;
            }
            if (table[i] == 0) {
                return;
            }
            int hole = i;
            for (int j = (hole + 1) & mask; table[j] != 0; j = (j + 1) & mask) {
                int home = index(table[j], mask);
                // the entry at j may move into the hole when its home is not cyclically in (hole, j]
                boolean stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
                if (!stays) {
                    table[hole] = table[j];
                    hole = j;
                }
            }
            table[hole] = 0;
            size--;
        } finally {
            lock.unlockWrite(stamp);
        }
    }

    public int size() {
        long stamp = lock.readLock();
        try {
            return size;
        } finally {
            lock.unlockRead(stamp);
        }
    }

    /** The bytes of the table (the index's whole footprint but a few dozen bytes). */
    public long tableBytes() {
        return slots.length * 8L;
    }

    private long[] grow(long[] old) {
        long[] table = new long[old.length * 2];
        int mask = table.length - 1;
        for (long entry : old) {
            if (entry != 0) {
                int i = index(entry, mask);
                while (table[i] != 0) {
                    i = (i + 1) & mask;
                }
                table[i] = entry;
            }
        }
        slots = table;
        return table;
    }

    private static SuppressionReason find(long[] table, long hash) {
        int mask = table.length - 1;
        for (int i = index(hash, mask); ; i = (i + 1) & mask) {
            long slot = table[i];
            if (slot == 0) {
                return null;
            }
            if ((slot & HASH_BITS) == (hash & HASH_BITS)) {
                return (slot & 3L) == 1 ? SuppressionReason.BOUNCE : SuppressionReason.COMPLAINT;
            }
        }
    }

    private static int index(long hash, int mask) {
        // the high half: well mixed by the hash's finaliser, untouched by the reason bits
        return (int) (hash >>> 32) & mask;
    }

    private static long code(SuppressionReason reason) {
        return reason == SuppressionReason.BOUNCE ? 1 : 2;
    }
}
