package io.poolmta.sending;

/**
 * How many accepted messages may wait for delivery at once. Every queued message keeps its
 * envelope in memory (its content stays in the spool): about 480 bytes for a one-recipient message
 * (measured by bench/queue-scale.sh), more with more recipients. Past the limit new mail is refused
 * with back-pressure (API 429, SMTP 451) until deliveries, bounces or expiries make room, rather
 * than run the heap out.
 */
public record QueueLimit(long maxMessages) {
    /** Heap bytes reserved per queued message: the measured ~480 plus room for everything else. */
    public static final long HEAP_BYTES_PER_MESSAGE = 700;

    public static final long MINIMUM = 10_000;

    public QueueLimit {
        if (maxMessages < 1) {
            throw new IllegalArgumentException("the queue limit must be at least 1, got " + maxMessages);
        }
    }

    /** The limit for a heap of {@code maxHeapBytes} (Runtime.maxMemory()): 768 MiB give about 1.15 million. */
    public static QueueLimit forHeap(long maxHeapBytes) {
        return new QueueLimit(Math.max(MINIMUM, maxHeapBytes / HEAP_BYTES_PER_MESSAGE));
    }

    public boolean full(long queued) {
        return queued >= maxMessages;
    }
}
