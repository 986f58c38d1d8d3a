package io.poolmta.feedback;

import io.poolmta.events.EventPublisher;
import io.poolmta.events.EventType;
import io.poolmta.events.MailEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger of sent messages: per message id, what a later bounce or complaint needs to become an
 * event ({@link SentMessage}), kept for the retention window. It learns from the Delivery events
 * (only a delivered recipient can bounce later or complain), off the hot path: {@link #record}
 * only merges into an in-memory map, {@link #flush} writes what gathered in one transaction (the
 * server runs it every second and at stop). At most {@code maxPending} messages wait for a flush;
 * beyond that new entries are dropped, counted and logged, never blocking delivery. A message
 * whose entry is still waiting is found all the same. Thread-safe.
 */
public final class SentLedger {
    private static final Logger LOG = LoggerFactory.getLogger(SentLedger.class);
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(14);
    public static final int DEFAULT_MAX_PENDING = 200_000;
    private static final Duration PURGE_EVERY = Duration.ofMinutes(1);

    private final SentMessageStore store;
    private final Duration retention;
    private final int maxPending;
    private final Clock clock;
    private final Map<String, SentMessage> pending = new ConcurrentHashMap<>();
    private final AtomicLong dropped = new AtomicLong();
    private volatile Instant lastPurge = Instant.MIN;

    public SentLedger(SentMessageStore store, Duration retention, int maxPending, Clock clock) {
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("the ledger's retention must be positive");
        }
        this.store = store;
        this.retention = retention;
        this.maxPending = maxPending;
        this.clock = clock;
    }

    /** A publisher that records Delivery events here, then publishes to {@code next}. */
    public EventPublisher recording(EventPublisher next) {
        return event -> {
            record(event);
            next.publish(event);
        };
    }

    /** Records the delivered recipients of a Delivery event; other events are ignored. Never throws. */
    public void record(MailEvent event) {
        if (event.type() != EventType.DELIVERY || event.recipients().isEmpty()) {
            return;
        }
        try {
            var env = event.envelope();
            Map<String, String> ips = new LinkedHashMap<>();
            String ip = event.outgoingIp().orElse("");
            event.recipients().forEach(r -> ips.put(r, ip));
            SentMessage entry = new SentMessage(
                    env.messageId(),
                    env.accountId(),
                    env.configurationSet(),
                    event.poolName(),
                    env.mailFrom(),
                    env.acceptedAt(),
                    env.tags(),
                    env.sourceIp(),
                    event.headers(),
                    ips,
                    event.timestamp());
            if (pending.size() >= maxPending && !pending.containsKey(env.messageId())) {
                if (dropped.incrementAndGet() % 10_000 == 1) {
                    LOG.warn(
                            "the sent-message ledger has {} entries waiting to be stored: {} dropped so far",
                            pending.size(),
                            dropped.get());
                }
                return;
            }
            pending.merge(env.messageId(), entry, SentMessage::merge);
        } catch (RuntimeException e) {
            LOG.warn(
                    "could not record message {} in the sent-message ledger",
                    event.envelope().messageId(),
                    e);
        }
    }

    /** The message's entry, when it was delivered within the retention window. */
    public Optional<SentMessage> find(String messageId) {
        SentMessage waiting = pending.get(messageId);
        Optional<SentMessage> stored = store.find(messageId);
        Optional<SentMessage> found = waiting == null
                ? stored
                : Optional.of(stored.map(s -> s.merge(waiting)).orElse(waiting));
        Instant cutoff = clock.instant().minus(retention);
        return found.filter(m -> !m.recordedAt().isBefore(cutoff));
    }

    /** Stores the entries gathered since the last flush, in one transaction. */
    public void flush() {
        if (pending.isEmpty()) {
            return;
        }
        List<SentMessage> batch = new ArrayList<>(pending.values());
        store.saveAll(batch);
        for (SentMessage entry : batch) {
            pending.remove(entry.messageId(), entry);
        }
    }

    /** A flush, and once a minute the entries older than the retention window forgotten. Never throws. */
    public void runOnce() {
        try {
            flush();
            Instant now = clock.instant();
            if (lastPurge.plus(PURGE_EVERY).isBefore(now)) {
                lastPurge = now;
                int purged = store.deleteRecordedBefore(now.minus(retention));
                if (purged > 0) {
                    LOG.debug("forgot {} sent message(s) older than {}", purged, retention);
                }
            }
        } catch (RuntimeException e) {
            LOG.warn("could not store the sent-message ledger", e);
        }
    }

    public Duration retention() {
        return retention;
    }

    /** Entries dropped because too many waited to be stored. */
    public long dropped() {
        return dropped.get();
    }
}
