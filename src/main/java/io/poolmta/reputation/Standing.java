package io.poolmta.reputation;

import java.time.Instant;
import java.util.Optional;

/**
 * A scope's enforcement status with the figures it rests on: sends, permanent bounces and
 * complaints counted since {@code windowStart}, and their rates (0 with no sends). A SHUTDOWN
 * names when it began and why.
 */
public record Standing(
        Scope scope,
        EnforcementStatus status,
        long sends,
        long permanentBounces,
        long complaints,
        Instant windowStart,
        Optional<Instant> shutdownSince,
        String reason) {
    public double bounceRate() {
        return sends == 0 ? 0 : (double) permanentBounces / sends;
    }

    public double complaintRate() {
        return sends == 0 ? 0 : (double) complaints / sends;
    }
}
