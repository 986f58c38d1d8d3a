package io.poolmta.advisor;

import java.util.OptionalLong;

/**
 * One dedicated IP towards one mailbox provider over the window: the most it sent in a day, on
 * how many days it reached the threshold and the last such day (epoch day), and whether it is
 * cooling (never reached the threshold), with the reason in words and figures.
 */
public record IpProviderAdvice(
        String ip,
        String pool,
        String provider,
        long total,
        long maxInADay,
        int daysAtThreshold,
        OptionalLong lastDayAtThreshold,
        boolean cooling,
        String reason) {}
