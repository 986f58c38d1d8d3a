package io.poolmta.account;

import java.util.List;

/** Durable per-account recipient counts of {@link RollingSendCount}'s time buckets. */
public interface SendCountStore {
    /** One bucket: recipients accepted for {@code accountId} in the bucket starting at {@code bucketStartMs}. */
    record BucketCount(String accountId, long bucketStartMs, long sent) {}

    /** Every bucket that starts at or after {@code fromMs}. */
    List<BucketCount> since(long fromMs);

    /** Writes these counts (absolute values, replacing what is stored) in one transaction. */
    void putAll(List<BucketCount> counts);

    /** Forgets buckets that start before {@code cutoffMs}. */
    void deleteBefore(long cutoffMs);
}
