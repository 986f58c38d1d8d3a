package io.poolmta.delivery;

import java.time.Duration;

/**
 * How long to wait before the next attempt after a temporary failure: {@code initial} after the
 * first, doubling each time, never more than {@code max} (Postfix's minimal/maximal backoff).
 */
public record RetryPolicy(Duration initial, Duration max) {
    public static final RetryPolicy DEFAULT = new RetryPolicy(Duration.ofMinutes(1), Duration.ofMinutes(30));

    public RetryPolicy {
        if (initial.isNegative() || initial.isZero() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("need 0 < initial <= max");
        }
    }

    /** The wait after the {@code attempt}-th failed attempt (1-based). */
    public Duration delayAfter(int attempt) {
        Duration delay = initial;
        for (int i = 1; i < attempt && delay.compareTo(max) < 0; i++) {
            delay = delay.multipliedBy(2);
        }
        return delay.compareTo(max) > 0 ? max : delay;
    }
}
