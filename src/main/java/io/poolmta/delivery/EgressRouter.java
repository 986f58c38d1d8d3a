package io.poolmta.delivery;

import io.poolmta.egress.SourceSelection;
import io.poolmta.egress.SourceSelector;
import io.poolmta.message.Envelope;
import io.poolmta.nexthop.NextHop;
import io.poolmta.nexthop.NextHopResolution;
import io.poolmta.nexthop.NextHopResolver;
import io.poolmta.provider.ProviderTable;
import java.time.Instant;
import java.util.Optional;

/**
 * The egress decision for a due task (docs/ARCHITECTURE.md): resolve the destination's next hops,
 * classify its mailbox provider, ask the {@link SourceSelector} for a source address, then check
 * the adaptive throttle's pause and the provider's hourly cap for that (source, provider). The
 * answer is an {@link EgressDecision}: routed to an {@link EgressPath} (source × destination site ×
 * TLS policy), handed over to the node that holds the pool's addresses (never for a message that
 * was itself handed over: that one is deferred), held back without an attempt (paused, hour full, sources capped), deferred (DNS
 * failure, no source at all) or bounced (no such domain, not allowed). A selection that does not
 * lead to a send is given back, here or later by {@link #giveBack}, with its hourly count.
 */
final class EgressRouter {
    private final NextHopResolver resolver;
    private final SourceSelector selector;
    private final ProviderTable providers;
    private final AdaptiveThrottle throttle;
    private final HourlyLimit hourly = new HourlyLimit();

    EgressRouter(
            NextHopResolver resolver, SourceSelector selector, ProviderTable providers, AdaptiveThrottle throttle) {
        this.resolver = resolver;
        this.selector = selector;
        this.providers = providers;
        this.throttle = throttle;
    }

    EgressDecision decide(DeliveryTask task, Instant now) {
        Envelope env = task.message().envelope();
        return switch (resolver.resolve(task.domain())) {
            case NextHopResolution.TemporaryFailure t ->
                new EgressDecision.Defer("451 " + t.reason(), DelayType.TRANSIENT_COMMUNICATION_FAILURE);
            case NextHopResolution.PermanentFailure p ->
                new EgressDecision.Bounce("550 " + p.reason(), BounceType.PERMANENT);
            case NextHopResolution.Hosts hosts -> {
                String provider = providers.classify(
                        task.domain(), hosts.hosts().stream().map(NextHop::host).toList());
                yield switch (selector.select(env, task.domain(), provider, task.lastIp())) {
                    case SourceSelection.Selected s -> limit(env, s, provider, hosts, now);
                    case SourceSelection.Delay d -> new EgressDecision.HoldBack(d.until(), "451 4.7.0 " + d.reason());
                    case SourceSelection.NoSources n ->
                        new EgressDecision.Defer("451 4.4.0 " + n.reason(), DelayType.IP_FAILURE);
                    case SourceSelection.HandOver h ->
                        task.handedOver()
                                ? new EgressDecision.Defer(
                                        "451 4.4.0 pool " + env.poolName()
                                                + " has no IP on the node this message was handed over to",
                                        DelayType.IP_FAILURE)
                                : new EgressDecision.HandOver(h.node());
                };
            }
        };
    }

    /** A selected source: held back while its path to the provider is paused or its hour is full. */
    private EgressDecision limit(
            Envelope env, SourceSelection.Selected s, String provider, NextHopResolution.Hosts hosts, Instant now) {
        Optional<Instant> paused = throttle.pausedUntil(s.source().ip().text(), provider, hosts.site(), now);
        if (paused.isPresent()) {
            selector.cancel(env, s, provider);
            return new EgressDecision.HoldBack(
                    paused.get(),
                    "451 4.7.0 sending from " + s.source().ip() + " to " + provider + " is paused after throttling");
        }
        int perHour = providers.limits(provider).messagesPerHour();
        if (perHour > 0 && !hourly.tryTake(s.source().ip().text(), provider, now, perHour)) {
            selector.cancel(env, s, provider);
            return new EgressDecision.HoldBack(
                    HourlyLimit.nextHour(now),
                    "451 4.7.0 hourly limit of " + perHour + " messages from "
                            + s.source().ip() + " to " + provider + " reached");
        }
        Optional<Instant> hourTaken = perHour > 0 ? Optional.of(now) : Optional.empty();
        EgressPath path = new EgressPath(s.source().ip(), hosts.site(), provider, env.tlsPolicy());
        return new EgressDecision.Routed(s, path, hosts.hosts(), hourTaken);
    }

    /**
     * Gives back what a routed task took and never used (the connection broke before its turn):
     * its source selection and its hourly count.
     */
    void giveBack(ReadyTask task, EgressPath path) {
        selector.cancel(task.task().message().envelope(), task.selection(), path.provider());
        task.hourTaken().ifPresent(taken -> hourly.giveBack(path.source().text(), path.provider(), taken));
    }
}
