package io.poolmta.delivery;

import io.poolmta.spool.Spool;
import io.poolmta.spool.SpooledMessage;
import java.io.IOException;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the hand-overs the egress decision asks for, off the dispatcher thread: per destination
 * node at most {@link #WORKERS_PER_NODE} at once (each reuses a link connection). A hand-over the
 * other node confirmed is finished here: its recipients are done in this spool, with no event (the
 * Delivery, Bounce or DeliveryDelay events come from the node that delivers, under the original
 * message id). A hand-over that failed is deferred like a failed connection: a DeliveryDelay event
 * and a retry after the backoff, within the message's expiry. Thread-safe.
 */
final class HandOvers implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HandOvers.class);
    static final int WORKERS_PER_NODE = 2;

    private final Spool spool;
    private final NodeHandOver link;
    private final OutcomeRecorder outcomes;
    private final Clock clock;
    private final Map<String, ExecutorService> workers = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong handedOver = new AtomicLong();
    private volatile boolean closed;

    HandOvers(Spool spool, NodeHandOver link, OutcomeRecorder outcomes, Clock clock) {
        this.spool = spool;
        this.link = link;
        this.outcomes = outcomes;
        this.clock = clock;
    }

    /** Hands the task's recipients over to {@code node}, soon, on a worker of that node. */
    void offer(DeliveryTask task, String node) {
        inFlight.incrementAndGet();
        try {
            workers.computeIfAbsent(
                            node,
                            n -> Executors.newFixedThreadPool(
                                    WORKERS_PER_NODE,
                                    Thread.ofVirtual()
                                            .name("hand-over-" + n + "-", 0)
                                            .factory()))
                    .execute(() -> run(task, node));
        } catch (RuntimeException rejected) { // closing: the message stays in the spool for the next start
            inFlight.decrementAndGet();
        }
    }

    private void run(DeliveryTask task, String node) {
        String pool = task.message().envelope().poolName();
        try {
            if (closed) {
                return;
            }
            SpooledMessage message = new SpooledMessage(
                    task.message().envelope().withRecipients(task.recipients()), spool.content(task.message()));
            link.handOver(node, message, task.attempts());
            task.recipients().forEach(rcpt -> spool.recipientDone(task.message().messageId(), rcpt));
            handedOver.addAndGet(task.recipients().size());
        } catch (IOException | RuntimeException e) {
            LOG.debug("hand-over of {} to node {} failed: {}", task.message().messageId(), node, e.toString());
            if (!closed) {
                outcomes.defer(
                        task,
                        Optional.empty(),
                        Optional.empty(),
                        "451 4.4.1 could not hand the message over to node " + node + ": " + e.getMessage(),
                        DelayType.TRANSIENT_COMMUNICATION_FAILURE,
                        pool,
                        clock.instant());
            }
        } finally {
            inFlight.decrementAndGet();
        }
    }

    /** Hand-overs waiting or running. */
    int inFlight() {
        return inFlight.get();
    }

    /** Recipients handed over to other nodes since start. */
    long handedOver() {
        return handedOver.get();
    }

    /** Stops taking hand-overs and waits (up to 10 s) for the running ones; unsent ones stay in the spool. */
    @Override
    public void close() {
        closed = true;
        workers.values().forEach(ExecutorService::shutdown);
        try {
            for (ExecutorService w : workers.values()) {
                w.awaitTermination(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
