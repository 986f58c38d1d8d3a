package io.poolmta.delivery;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * The ready queue of one egress path: <b>how fast</b> its routed tasks leave (docs/ARCHITECTURE.md;
 * KumoMTA's ready queue, Postfix's per-destination concurrency).
 * <ul>
 *   <li>It is served by at most {@code max} connections at a time: {@link #add} says when the
 *       caller must open one more (the path has room for it, and more tasks wait than connections
 *       wait for them).</li>
 *   <li>A connection takes no more than its share of the queue at a time (queue / connections,
 *       and at most the per-connection limit), so a burst spreads over the path's connections
 *       instead of going one message after another on the first.</li>
 *   <li>A connection whose queue runs empty waits up to {@code idle} for more ({@link #more})
 *       before it QUITs, so a steady trickle of mail does not pay a TCP handshake, greeting and
 *       EHLO per message (Postfix's connection cache does the same).</li>
 *   <li>When the path's limit drops below its connections (the throttle halved it), the connections
 *       over the limit retire at their next {@link #take}.</li>
 * </ul>
 * Thread-safe. It counts connections but opens none: the caller does, when {@link #add} says so.
 */
final class ReadyQueue<T> {
    private final ArrayDeque<T> tasks = new ArrayDeque<>();
    private int workers;
    private int waiting;
    private boolean closed;

    /**
     * Adds a task; true when the caller must start a new connection: the path has room for one
     * ({@code max}) and more tasks wait than connections wait for them in {@link #more}, which are
     * woken.
     */
    synchronized boolean add(T task, int max) {
        tasks.add(task);
        if (waiting > 0) {
            notify();
        }
        if (workers < max && tasks.size() > waiting) { // more work than idle connections
            workers++;
            return true;
        }
        return false;
    }

    /**
     * Up to {@code n} tasks for a connection about to open; an empty list retires the calling
     * connection, as does a connection count above {@code maxWorkers} (the path was throttled down).
     */
    synchronized List<T> take(int n, int maxWorkers) {
        List<T> batch = new ArrayList<>();
        if (workers > maxWorkers) {
            workers--;
            return batch;
        }
        drain(batch, fairShare(n, maxWorkers));
        if (batch.isEmpty()) {
            workers--;
        }
        return batch;
    }

    /**
     * Up to {@code n} more tasks for a connection that is open, waiting up to {@code idle} for the
     * first; empty when none came, when the queue was closed, or when the path now allows fewer
     * connections than it has (the connection then retires in {@link #take}).
     */
    synchronized List<T> more(int n, int maxWorkers, Duration idle) {
        List<T> batch = new ArrayList<>();
        if (workers > maxWorkers || n <= 0) {
            return batch;
        }
        long deadline = System.nanoTime() + idle.toNanos();
        waiting++;
        try {
            for (long left; !closed && tasks.isEmpty() && (left = deadline - System.nanoTime()) > 0; ) {
                wait(Math.max(1, left / 1_000_000));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            waiting--;
        }
        drain(batch, fairShare(n, maxWorkers));
        return batch;
    }

    /**
     * At most {@code n}, and no more than this connection's share of the queue: a connection that
     * took everything would send it one message after another while the path's other connections
     * stood idle (it matters with a distant receiver, where each message costs round trips).
     */
    private int fairShare(int n, int maxWorkers) {
        int share = (tasks.size() + Math.max(1, maxWorkers) - 1) / Math.max(1, maxWorkers);
        return Math.min(n, Math.max(1, share));
    }

    private void drain(List<T> batch, int n) {
        while (batch.size() < n && !tasks.isEmpty()) {
            batch.add(tasks.poll());
        }
    }

    synchronized int size() {
        return tasks.size();
    }

    /** Connections serving the queue now (opened and not yet retired). */
    synchronized int workers() {
        return workers;
    }

    /** Connections waiting in {@link #more} now. */
    synchronized int waiting() {
        return waiting;
    }

    /** Ends the waits of connections waiting for more, now and later (on shutdown). */
    synchronized void close() {
        closed = true;
        notifyAll();
    }
}
