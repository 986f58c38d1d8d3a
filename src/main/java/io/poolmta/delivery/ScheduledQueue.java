package io.poolmta.delivery;

import io.poolmta.common.SharedStrings;
import io.poolmta.ip.Ipv4;
import io.poolmta.message.Mailbox;
import io.poolmta.spool.StoredMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The scheduled queue: <b>when</b> each task is tried (docs/ARCHITECTURE.md; Postfix's deferred
 * queue, KumoMTA's scheduled queue).
 * <ul>
 *   <li>Every (message, destination domain) is a task, ordered by due time (the engine clock's
 *       time), then by the order it was queued.</li>
 *   <li>{@link #dispatchDue} is the step function: it hands every task due at the time it is given
 *       to the {@link Target}, in that order; a task past its message's expiry goes to
 *       {@link Target#expired} (it bounces, Transient), every other to {@link Target#due} (it is
 *       routed). A task queued meanwhile and already due is handed out in the same step.</li>
 *   <li>After a temporary failure a task comes back after the {@link RetryPolicy}'s backoff for its
 *       attempt count ({@link #retry}); a task held back without an attempt comes back when its
 *       hold ends ({@link #holdBack}). Neither is ever due later than its message's expiry, so the
 *       expiry bounce is on time.</li>
 * </ul>
 * Thread-safe: connections put tasks back while the dispatcher takes due ones. Time comes only from
 * the caller, so a test steps it with a mutable clock.
 */
final class ScheduledQueue {
    /** Where due tasks go. Called on the thread that calls {@link #dispatchDue}. */
    interface Target {
        /** The task's message expired before its recipients here had a final outcome. */
        void expired(DeliveryTask task, Instant now);

        /** The task is due: route it. */
        void due(DeliveryTask task, Instant now);
    }

    private final RetryPolicy retry;
    private final Target target;
    private final PriorityBlockingQueue<DeliveryTask> tasks = new PriorityBlockingQueue<>(
            1024, Comparator.comparing(DeliveryTask::due).thenComparingLong(DeliveryTask::sequence));
    private final AtomicLong sequence = new AtomicLong();
    private final SharedStrings shared = new SharedStrings(10_000);

    ScheduledQueue(RetryPolicy retry, Target target) {
        this.retry = retry;
        this.target = target;
    }

    /**
     * Queues every recipient of a message, one task per destination domain, due at {@code now}.
     * A message with a single domain keeps its recipient list (no copy per message).
     */
    void add(StoredMessage message, Instant now) {
        add(message, now, 0, false);
    }

    /**
     * The same for a message another node handed over: {@code attempts} made there so far (the
     * backoff goes on from them), and marked so it is never handed over again.
     */
    void add(StoredMessage message, Instant now, int attempts, boolean handedOver) {
        Map<String, List<String>> byDomain = new LinkedHashMap<>();
        for (String rcpt : message.envelope().recipients()) {
            byDomain.computeIfAbsent(shared.share(domainOf(rcpt)), d -> new ArrayList<>())
                    .add(rcpt);
        }
        byDomain.forEach((domain, rcpts) -> tasks.add(new DeliveryTask(
                message,
                domain,
                byDomain.size() == 1 ? message.envelope().recipients() : rcpts,
                attempts,
                Optional.empty(),
                Optional.empty(),
                now,
                sequence.incrementAndGet(),
                handedOver)));
    }

    /** Hands every task due at {@code now} to the target, earliest first (see the class comment). */
    void dispatchDue(Instant now) {
        DeliveryTask head;
        while ((head = tasks.peek()) != null && !head.due().isAfter(now)) {
            DeliveryTask task = tasks.poll();
            if (task == null) {
                continue;
            }
            if (!now.isBefore(task.message().envelope().expiresAt())) {
                target.expired(task, now);
            } else {
                target.due(task, now);
            }
        }
    }

    /**
     * Queues the task's recipients again after a temporary failure at {@code now}: one more attempt
     * counted, due after the backoff for it (never after the expiry), {@code reply} kept as the last
     * reply and {@code ip}, if given, as the address to leave from next time.
     */
    void retry(DeliveryTask task, Optional<Ipv4> ip, String reply, Instant now) {
        Instant expires = task.message().envelope().expiresAt();
        Instant next = now.plus(retry.delayAfter(task.attempts() + 1));
        if (next.isAfter(expires)) {
            next = expires;
        }
        tasks.add(task.retry(task.recipients(), ip, shared.optional(reply), next, sequence.incrementAndGet()));
    }

    /**
     * Puts a task back without an attempt, due at {@code until} (never after its expiry);
     * {@code reason}, when given, becomes the task's last reply (for the bounce on expiry).
     */
    void holdBack(DeliveryTask task, Instant until, Optional<String> reason) {
        Instant expires = task.message().envelope().expiresAt();
        Instant at = until.isAfter(expires) ? expires : until;
        tasks.add(task.later(at, reason.flatMap(shared::optional), sequence.incrementAndGet()));
    }

    /** Tasks waiting for their due time. */
    int size() {
        return tasks.size();
    }

    private static String domainOf(String address) {
        return Mailbox.domainOf(address).orElse(address).toLowerCase(Locale.ROOT);
    }
}
