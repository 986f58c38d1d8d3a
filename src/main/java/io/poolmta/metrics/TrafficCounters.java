package io.poolmta.metrics;

import io.poolmta.events.EventTap;
import io.poolmta.events.EventType;
import io.poolmta.events.MailEvent;
import io.poolmta.provider.DestinationProviders;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Recipients since start by outcome, pool, sending IP ("" before a source was chosen), mailbox
 * provider and, for bounces, bounce type: Send events count as accepted, Delivery as delivered,
 * Bounce as bounced, DeliveryDelay as deferred. One map look-up and one add per recipient.
 */
public final class TrafficCounters implements EventTap {
    /** What happened to the recipients. */
    public enum Outcome {
        ACCEPTED,
        DELIVERED,
        BOUNCED,
        DEFERRED
    }

    /** One counter's labels; {@code bounceType} is "" except for bounces. */
    public record Key(Outcome outcome, String pool, String ip, String provider, String bounceType) {}

    /** A counter's value now. */
    public record Count(Key key, long value) {}

    private final DestinationProviders providers;
    private final Map<Key, LongAdder> counts = new ConcurrentHashMap<>();

    public TrafficCounters(DestinationProviders providers) {
        this.providers = providers;
    }

    @Override
    public void observe(MailEvent event) {
        Outcome outcome = outcome(event.type());
        if (outcome == null) {
            return;
        }
        String ip = event.outgoingIp().orElse("");
        String bounceType = event.detail() instanceof MailEvent.Bounce b ? b.bounceType() : "";
        for (String rcpt : event.recipients()) {
            counts.computeIfAbsent(
                            new Key(outcome, event.poolName(), ip, providers.of(rcpt), bounceType),
                            k -> new LongAdder())
                    .increment();
        }
    }

    private static Outcome outcome(EventType type) {
        return switch (type) {
            case SEND -> Outcome.ACCEPTED;
            case DELIVERY -> Outcome.DELIVERED;
            case BOUNCE -> Outcome.BOUNCED;
            case DELIVERY_DELAY -> Outcome.DEFERRED;
            default -> null;
        };
    }

    /** Every counter of {@code outcome}, in label order. */
    public List<Count> counts(Outcome outcome) {
        List<Count> out = new ArrayList<>();
        counts.forEach((k, v) -> {
            if (k.outcome() == outcome) {
                out.add(new Count(k, v.sum()));
            }
        });
        out.sort(Comparator.comparing((Count c) -> c.key().pool())
                .thenComparing(c -> c.key().ip())
                .thenComparing(c -> c.key().provider())
                .thenComparing(c -> c.key().bounceType()));
        return out;
    }
}
