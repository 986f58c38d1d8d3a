package io.poolmta.advisor;

import java.util.List;

/** Durable daily volumes ({@link DailyVolume}), one row per day and key. */
public interface DailyVolumeStore {
    /** Adds the counts of each row to the stored row of its day and key (creating it). */
    void add(List<DailyVolume> deltas);

    /** Every row of {@code fromDay} and later. */
    List<DailyVolume> since(long fromDay);

    /** Forgets the days before {@code day}. */
    void deleteBefore(long day);
}
