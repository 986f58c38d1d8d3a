package io.poolmta.warmup;

import io.poolmta.common.PoolMtaException;
import java.time.Duration;
import java.time.Instant;

/**
 * The time line of standard warm-up: an IP moves from 0% to 100% over {@link #DEFAULT_LENGTH}
 * (45 days, as SES), by time rather than by volume. 100% is DONE. Setting a percentage moves the
 * IP's position on the time line; it keeps advancing from there.
 */
public final class WarmupPlan {
    public static final Duration DEFAULT_LENGTH = Duration.ofDays(45);

    private final Duration length;

    public WarmupPlan(Duration length) {
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("warm-up length must be positive");
        }
        this.length = length;
    }

    public static WarmupPlan standard() {
        return new WarmupPlan(DEFAULT_LENGTH);
    }

    public Duration length() {
        return length;
    }

    public WarmupProgress progress(WarmupState state, Instant now) {
        if (state.complete()) {
            return new WarmupProgress(WarmupStatus.DONE, 100);
        }
        long elapsed = Math.max(0, Duration.between(state.anchor(), now).toMillis());
        long percent = Math.min(100, elapsed * 100 / length.toMillis());
        return percent >= 100
                ? new WarmupProgress(WarmupStatus.DONE, 100)
                : new WarmupProgress(WarmupStatus.IN_PROGRESS, (int) percent);
    }

    /** The state that puts an IP at {@code percentage} of the plan now; 100 means complete. */
    public WarmupState at(int percentage, Instant now) {
        if (percentage < 0 || percentage > 100) {
            throw PoolMtaException.badRequest("WarmupPercentage must be between 0 and 100, got " + percentage + ".");
        }
        if (percentage == 100) {
            return WarmupState.done(now);
        }
        // Round up: progress() floors, so a floored offset would read back one percent low
        // whenever the plan's length in milliseconds is not a multiple of 100.
        long back = Math.ceilDiv(length.toMillis() * percentage, 100);
        return WarmupState.startingAt(now.minusMillis(back));
    }
}
