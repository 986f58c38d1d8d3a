package io.poolmta.managed;

import java.time.Duration;

/**
 * How a managed pool scales: it keeps between {@code minIps} and {@code maxIps} IPs (once it has any),
 * adds at most one IP per pass when a provider's demand went unmet, and releases an IP that sent
 * nothing for {@code idleDaysBeforeRelease} days.
 */
public record ScalingPolicy(int minIps, int maxIps, int idleDaysBeforeRelease, Duration interval) {
    public static final int MIN_IPS = 1;
    public static final int MAX_IPS = 10;
    public static final int IDLE_DAYS_BEFORE_RELEASE = 7;
    public static final Duration INTERVAL = Duration.ofMinutes(1);
    public static final ScalingPolicy DEFAULT = new ScalingPolicy(MIN_IPS, MAX_IPS, IDLE_DAYS_BEFORE_RELEASE, INTERVAL);

    public ScalingPolicy {
        if (minIps < 1 || maxIps < minIps || idleDaysBeforeRelease < 1 || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("invalid scaling policy");
        }
    }
}
