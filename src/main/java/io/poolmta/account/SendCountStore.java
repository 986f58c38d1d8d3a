package io.poolmta.account;

import java.util.List;

/**
 * Durable per-account recipient counts of {@link RollingSendCount}'s time buckets, kept per node:
 * each node writes only its own rows and reads the others' to count cluster-wide.
 */
public interface SendCountStore {
    /** One bucket: recipients accepted for {@code accountId} in the bucket starting at {@code bucketStartMs}. */
    record BucketCount(String accountId, long bucketStartMs, long sent) {}

    /** This node's buckets that start at or after {@code fromMs}. */
    List<BucketCount> since(long fromMs);

    /** The other nodes' buckets that start at or after {@code fromMs}, summed per account and bucket. */
    List<BucketCount> othersSince(long fromMs);

    /** Writes this node's counts (absolute values, replacing what is stored) in one transaction. */
    void putAll(List<BucketCount> counts);

    /** Forgets every node's buckets that start before {@code cutoffMs}. */
    void deleteBefore(long cutoffMs);
}
