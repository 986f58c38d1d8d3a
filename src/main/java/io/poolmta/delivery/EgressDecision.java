package io.poolmta.delivery;

import io.poolmta.egress.SourceSelection;
import io.poolmta.nexthop.NextHop;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What {@link EgressRouter} decided for a due task. */
sealed interface EgressDecision {
    /**
     * Send it from {@code selection}'s source over {@code path} to {@code hosts}, in order;
     * {@code hourTaken} is when the provider's hourly limit counted it, if it has one.
     */
    record Routed(SourceSelection.Selected selection, EgressPath path, List<NextHop> hosts, Optional<Instant> hourTaken)
            implements EgressDecision {}

    /**
     * Not now and no attempt (the path is paused, the hour is full, the pool's sources are capped):
     * try again at {@code until}; {@code reason} becomes the task's last reply.
     */
    record HoldBack(Instant until, String reason) implements EgressDecision {}

    /**
     * The message's pool has no address on this node: hand the task's recipients over to
     * {@code node}, which holds some of the pool's addresses.
     */
    record HandOver(String node) implements EgressDecision {}

    /** A temporary failure before any connection: a DeliveryDelay, and a retry after the backoff. */
    record Defer(String reply, DelayType delayType) implements EgressDecision {}

    /** A failure before any connection that will not go away: every recipient bounces. */
    record Bounce(String reply, BounceType bounceType) implements EgressDecision {}
}
