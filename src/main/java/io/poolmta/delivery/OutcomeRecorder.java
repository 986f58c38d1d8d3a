package io.poolmta.delivery;

import io.poolmta.delivery.smtp.DeliveryResult;
import io.poolmta.events.EventPublisher;
import io.poolmta.events.EventType;
import io.poolmta.events.MailEvent;
import io.poolmta.ip.Ipv4;
import io.poolmta.message.Envelope;
import io.poolmta.message.MailHeaders;
import io.poolmta.provider.BounceVerdict;
import io.poolmta.spool.Spool;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records outcomes (docs/ARCHITECTURE.md): a Delivery, Bounce or DeliveryDelay event per group of
 * recipients, then the final ones in the spool, and a retry in the scheduled queue for the
 * delayed ones. A final outcome reaches the spool after its event, as soon as the message's reply
 * is in (not at the end of its connection's batch), so a crash can cause a duplicate of the
 * messages whose replies had just come back, never a loss. Counts recipients delivered, bounced
 * and deferred since start. Thread-safe.
 */
final class OutcomeRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(OutcomeRecorder.class);
    /** How much of a stored message is read to summarise its header for an event without an attempt. */
    private static final int HEAD_BYTES = 16 * 1024;

    private final Spool spool;
    private final EventPublisher events;
    private final ScheduledQueue scheduled;
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong bounced = new AtomicLong();
    private final AtomicLong deferred = new AtomicLong();

    OutcomeRecorder(Spool spool, EventPublisher events, ScheduledQueue scheduled) {
        this.spool = spool;
        this.events = events;
        this.scheduled = scheduled;
    }

    /** The outcome of an attempted message sent from {@code ip} (see {@link OutcomeClassifier}). */
    void attempted(ReadyTask routed, Ipv4 ip, DeliveryResult result, Instant now) {
        DeliveryTask task = routed.task();
        Envelope env = task.message().envelope();
        OutcomeClassifier.Outcome outcome = OutcomeClassifier.classify(result);
        Optional<String> outgoing = Optional.of(ip.text());
        Optional<String> remote = result.remoteAddress().map(OutcomeRecorder::hostOnly);
        long processing = Math.max(0, Duration.between(env.acceptedAt(), now).toMillis());
        MailHeaders headers = routed.content() != null ? MailHeaders.of(routed.content()) : headers(task);
        outcome.delivered().forEach((reply, rcpts) -> {
            events.publish(new MailEvent(
                    EventType.DELIVERY,
                    now,
                    env,
                    rcpts,
                    outgoing,
                    routed.poolName(),
                    remote,
                    Optional.of(reply),
                    new MailEvent.Delivery(processing),
                    routed.overflowFrom(),
                    headers));
            rcpts.forEach(rcpt -> spool.recipientDone(env.messageId(), rcpt));
            delivered.addAndGet(rcpts.size());
        });
        outcome.bounced()
                .forEach((reply, rcpts) -> bounce(
                        task, rcpts, outgoing, remote, reply, BounceType.PERMANENT, routed.poolName(), now, headers));
        if (!outcome.retry().isEmpty()) {
            defer(
                    new DeliveryTask(
                            task.message(),
                            task.domain(),
                            outcome.retry(),
                            task.attempts(),
                            task.lastIp(),
                            task.lastReply(),
                            task.due(),
                            task.sequence(),
                            task.handedOver()),
                    Optional.of(ip),
                    remote,
                    outcome.retryReply().orElseThrow(),
                    outcome.delayType(),
                    routed.poolName(),
                    now,
                    headers);
        }
    }

    /** A temporary failure of every recipient of the task: a DeliveryDelay event, and a retry after the backoff. */
    void defer(
            DeliveryTask task,
            Optional<Ipv4> ip,
            Optional<String> remote,
            String reply,
            DelayType delayType,
            String poolName,
            Instant now) {
        defer(task, ip, remote, reply, delayType, poolName, now, headers(task));
    }

    /** The same, with the header summary of the message's events already at hand. */
    void defer(
            DeliveryTask task,
            Optional<Ipv4> ip,
            Optional<String> remote,
            String reply,
            DelayType delayType,
            String poolName,
            Instant now,
            MailHeaders headers) {
        Envelope env = task.message().envelope();
        deferred.addAndGet(task.recipients().size());
        LOG.debug(
                "deferred {} recipient(s) of {} at {}: {}",
                task.recipients().size(),
                env.messageId(),
                task.domain(),
                reply);
        events.publish(new MailEvent(
                EventType.DELIVERY_DELAY,
                now,
                env,
                task.recipients(),
                ip.map(Ipv4::text),
                poolName,
                remote,
                Optional.of(reply),
                new MailEvent.DeliveryDelay(delayType.sesName(), env.expiresAt()),
                headers));
        scheduled.retry(task, ip, reply, now);
    }

    /** The message expired with its recipients here still undelivered: they bounce, Transient, with the last reply. */
    void expired(DeliveryTask task, Instant now) {
        Envelope env = task.message().envelope();
        String reply = "554 4.4.7 Message expired after "
                + Duration.between(env.acceptedAt(), env.expiresAt()).toSeconds()
                + " s (MaxDeliverySeconds); last error: " + task.lastReply().orElse("none");
        bounce(
                task,
                task.recipients(),
                task.lastIp().map(Ipv4::text),
                Optional.empty(),
                reply,
                BounceType.TRANSIENT,
                env.poolName(),
                now);
    }

    /** A final failure of {@code rcpts}: a Bounce event, then their outcome in the spool. */
    void bounce(
            DeliveryTask task,
            List<String> rcpts,
            Optional<String> outgoingIp,
            Optional<String> remote,
            String reply,
            BounceType bounceType,
            String poolName,
            Instant now) {
        bounce(task, rcpts, outgoingIp, remote, reply, bounceType, poolName, now, headers(task));
    }

    private void bounce(
            DeliveryTask task,
            List<String> rcpts,
            Optional<String> outgoingIp,
            Optional<String> remote,
            String reply,
            BounceType bounceType,
            String poolName,
            Instant now,
            MailHeaders headers) {
        Envelope env = task.message().envelope();
        BounceVerdict verdict = OutcomeClassifier.verdict(reply, bounceType);
        LOG.info(
                "bounced {} recipient(s) of {} at {} ({}/{}): {}",
                rcpts.size(),
                env.messageId(),
                task.domain(),
                verdict.bounceType(),
                verdict.bounceSubType(),
                reply);
        events.publish(new MailEvent(
                EventType.BOUNCE,
                now,
                env,
                rcpts,
                outgoingIp,
                poolName,
                remote,
                Optional.of(reply),
                new MailEvent.Bounce(verdict.bounceType(), verdict.bounceSubType()),
                headers));
        rcpts.forEach(rcpt -> spool.recipientDone(env.messageId(), rcpt));
        bounced.addAndGet(rcpts.size());
    }

    long delivered() {
        return delivered.get();
    }

    long bounced() {
        return bounced.get();
    }

    long deferred() {
        return deferred.get();
    }

    /**
     * The header summary for the events of a message not attempted now (no next hop, no source,
     * expired): from the first {@link #HEAD_BYTES} of its stored content, not the whole message.
     */
    private MailHeaders headers(DeliveryTask task) {
        try {
            return MailHeaders.ofHead(spool.head(task.message(), HEAD_BYTES));
        } catch (RuntimeException e) {
            LOG.warn(
                    "the header of message {} could not be read for its event: {}",
                    task.message().messageId(),
                    e.toString());
            return MailHeaders.UNREADABLE;
        }
    }

    private static String hostOnly(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return colon > 0 ? hostPort.substring(0, colon) : hostPort;
    }
}
