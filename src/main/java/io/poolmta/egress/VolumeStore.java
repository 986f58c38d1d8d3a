package io.poolmta.egress;

import java.time.Instant;

/** Durable per-IP send counts of a warm-up day window. */
public interface VolumeStore {
    long get(String address, Instant windowStart);

    void put(String address, Instant windowStart, long sent);

    /** Forgets windows that started before {@code cutoff}. */
    void deleteBefore(Instant cutoff);
}
