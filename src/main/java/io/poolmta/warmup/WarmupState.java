package io.poolmta.warmup;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The stored warm-up position of a standard dedicated IP: either complete, or started at
 * {@code anchor}, the instant at which the IP stood at 0% of the plan. Keeping the anchor rather
 * than a percentage lets the position advance with time without a background job. While
 * {@code pausedAt} is set the position stands still at that instant: the percentage and the daily
 * cap stay where they were; resuming moves the anchor forward by the paused time.
 * {@code countedThrough} is how far sending-day counting has judged the IP's day windows.
 */
public record WarmupState(
        boolean complete, Instant anchor, Optional<Instant> pausedAt, Optional<Instant> countedThrough) {
    public WarmupState {
        Objects.requireNonNull(anchor);
        Objects.requireNonNull(pausedAt);
        Objects.requireNonNull(countedThrough);
    }

    public WarmupState(boolean complete, Instant anchor) {
        this(complete, anchor, Optional.empty(), Optional.empty());
    }

    public WarmupState(boolean complete, Instant anchor, Optional<Instant> pausedAt) {
        this(complete, anchor, pausedAt, Optional.empty());
    }

    /**
     * Sending-day counting: the day window that ended at {@code windowEnd} has been judged; if it
     * did not count as a sending day the plan is held back by one day (the next day repeats it).
     */
    public WarmupState judged(Instant windowEnd, boolean counted) {
        Instant newAnchor = counted ? anchor : anchor.plus(Duration.ofDays(1));
        return new WarmupState(complete, newAnchor, pausedAt, Optional.of(windowEnd));
    }

    public static WarmupState startingAt(Instant start) {
        return new WarmupState(false, start);
    }

    public static WarmupState done(Instant at) {
        return new WarmupState(true, at);
    }

    public boolean paused() {
        return pausedAt.isPresent();
    }

    /** The instant the plan is read at: now, or the pause instant while paused. */
    public Instant planTime(Instant now) {
        return pausedAt.filter(p -> p.isBefore(now)).orElse(now);
    }

    public WarmupState pause(Instant now) {
        return complete || paused() ? this : new WarmupState(false, anchor, Optional.of(now), countedThrough);
    }

    public WarmupState resume(Instant now) {
        if (pausedAt.isEmpty()) {
            return this;
        }
        Duration stood = Duration.between(pausedAt.get(), now);
        return new WarmupState(
                complete, anchor.plus(stood.isNegative() ? Duration.ZERO : stood), Optional.empty(), countedThrough);
    }
}
