package io.poolmta.spool;

/**
 * How a {@link FileSpool} lays out and batches its log. Every field has a named default.
 *
 * @param segmentBytes    a segment is closed and a new one started once the next record would
 *                        take it past this size (a single larger record gets a segment of its own)
 * @param maxBatchRecords most records written under one fsync (group commit)
 * @param maxBatchBytes   most bytes written under one fsync; a batch stops growing once it reaches it
 * @param minFreeBytes    space kept free on the spool's file system (Postfix's queue_minfree): a
 *                        message that would leave less is refused (SMTP 451, API 429) before it is
 *                        written, so the database, the event log and a restart still find room
 *                        and the queue can drain; 0 lets the spool fill the disk
 * @param prepareAheadBytes zeros kept written past the last record of the segment being written,
 *                        so that an fsync has no growth of the file to commit (see
 *                        {@link SegmentLog#prepareAhead}); 0 turns it off
 */
public record SpoolSettings(
        long segmentBytes, int maxBatchRecords, int maxBatchBytes, long minFreeBytes, int prepareAheadBytes) {
    public static final long DEFAULT_SEGMENT_BYTES = 64L * 1024 * 1024;
    public static final int DEFAULT_MAX_BATCH_RECORDS = 1000;
    public static final int DEFAULT_MAX_BATCH_BYTES = 4 * 1024 * 1024;
    /** 1.5 × the largest message SMTP accepts (40 MiB), rounded up, as Postfix advises for queue_minfree. */
    public static final long DEFAULT_MIN_FREE_BYTES = 64L * 1024 * 1024;
    /** Small enough for tests that roll segments, large enough for a header and a few records. */
    public static final long MIN_SEGMENT_BYTES = 1024;

    public static final int DEFAULT_PREPARE_AHEAD_BYTES = 1 << 20;

    public SpoolSettings {
        if (segmentBytes < MIN_SEGMENT_BYTES) {
            throw new IllegalArgumentException(
                    "segmentBytes must be at least " + MIN_SEGMENT_BYTES + ": " + segmentBytes);
        }
        if (maxBatchRecords < 1) {
            throw new IllegalArgumentException("maxBatchRecords must be at least 1: " + maxBatchRecords);
        }
        if (maxBatchBytes < 1) {
            throw new IllegalArgumentException("maxBatchBytes must be at least 1: " + maxBatchBytes);
        }
        if (minFreeBytes < 0) {
            throw new IllegalArgumentException("minFreeBytes must not be negative: " + minFreeBytes);
        }
        if (prepareAheadBytes < 0) {
            throw new IllegalArgumentException("prepareAheadBytes must not be negative: " + prepareAheadBytes);
        }
    }

    public static SpoolSettings defaults() {
        return new SpoolSettings(
                DEFAULT_SEGMENT_BYTES,
                DEFAULT_MAX_BATCH_RECORDS,
                DEFAULT_MAX_BATCH_BYTES,
                DEFAULT_MIN_FREE_BYTES,
                DEFAULT_PREPARE_AHEAD_BYTES);
    }

    public SpoolSettings withSegmentBytes(long bytes) {
        return new SpoolSettings(bytes, maxBatchRecords, maxBatchBytes, minFreeBytes, prepareAheadBytes);
    }

    public SpoolSettings withMinFreeBytes(long bytes) {
        return new SpoolSettings(segmentBytes, maxBatchRecords, maxBatchBytes, bytes, prepareAheadBytes);
    }

    public SpoolSettings withPrepareAheadBytes(int bytes) {
        return new SpoolSettings(segmentBytes, maxBatchRecords, maxBatchBytes, minFreeBytes, bytes);
    }
}
