package io.poolmta.warmup;

import java.time.Instant;
import java.util.Objects;

/**
 * The stored warm-up position of a standard dedicated IP: either complete, or started at
 * {@code anchor}, the instant at which the IP stood at 0% of the plan. Keeping the anchor rather
 * than a percentage lets the position advance with time without a background job.
 */
public record WarmupState(boolean complete, Instant anchor) {
    public WarmupState {
        Objects.requireNonNull(anchor);
    }

    public static WarmupState startingAt(Instant start) {
        return new WarmupState(false, start);
    }

    public static WarmupState done(Instant at) {
        return new WarmupState(true, at);
    }
}
