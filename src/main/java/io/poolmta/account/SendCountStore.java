package io.poolmta.account;

import java.util.List;

/**
 * Durable per-account recipient counts of {@link RollingSendCount}'s time buckets, kept per node:
 * each node writes only its own rows and reads the others' to count cluster-wide.
 */
public interface SendCountStore {
    /** One bucket: recipients accepted for {@code accountId} in the bucket starting at {@code bucketStartMs}. */
    record BucketCount(String accountId, long bucketStartMs, long sent) {}

    /** Another node's bucket, with the node's name. */
    record NodeCount(String node, BucketCount count) {}

    /** This node's buckets that start at or after {@code fromMs}. */
    List<BucketCount> since(long fromMs);

    /** The other nodes' buckets that start at or after {@code fromMs}. */
    List<NodeCount> othersSince(long fromMs);

    /** The other nodes' buckets they wrote at or after {@code updatedSinceMs}, by their clocks. */
    List<NodeCount> othersChangedSince(long updatedSinceMs);

    /** Writes this node's counts (absolute values, replacing what is stored) in one transaction, at {@code nowMs}. */
    void putAll(List<BucketCount> counts, long nowMs);

    /** Forgets every node's buckets that start before {@code cutoffMs}. */
    void deleteBefore(long cutoffMs);
}
