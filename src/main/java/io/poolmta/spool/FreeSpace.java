package io.poolmta.spool;

import java.io.IOException;
import java.nio.file.FileStore;
import java.util.function.LongSupplier;

/**
 * The usable space of the spool's file system, asked of the operating system (statvfs) at most
 * once per {@link #MAX_AGE_NANOS} and cached in between, since every store consults it. Within that
 * time a burst can write past the edge of the reserve by what it writes in 100 ms (about 10 MB at
 * 2,000 messages of 50 KB a second); the reserve's default is far larger. A file system that cannot
 * say how much room it has counts as having room: the writes themselves then decide.
 */
final class FreeSpace {
    static final long MAX_AGE_NANOS = 100_000_000L;

    private final LongSupplier statvfs;
    private final LongSupplier nanoTime;
    private volatile long readAt;
    private volatile long usable = -1;

    FreeSpace(FileStore store) {
        this(
                () -> {
                    try {
                        return store.getUsableSpace();
                    } catch (IOException e) {
                        return Long.MAX_VALUE;
                    }
                },
                System::nanoTime);
    }

    /** @param statvfs the usable bytes of the file system, asked anew (tests give their own) */
    FreeSpace(LongSupplier statvfs, LongSupplier nanoTime) {
        this.statvfs = statvfs;
        this.nanoTime = nanoTime;
    }

    /** Usable bytes now (as of at most 100 ms ago); {@link Long#MAX_VALUE} when the file system does not say. */
    long usable() {
        long now = nanoTime.getAsLong();
        if (usable < 0 || now - readAt >= MAX_AGE_NANOS) {
            long bytes;
            try {
                bytes = statvfs.getAsLong();
            } catch (RuntimeException e) {
                bytes = Long.MAX_VALUE;
            }
            usable = bytes;
            readAt = now;
        }
        return usable;
    }
}
