package io.poolmta.configset;

import java.time.Instant;
import java.util.Optional;

/** Whether reputation metrics are kept for the set, and when they were last reset. */
public record ReputationOptions(boolean reputationMetricsEnabled, Optional<Instant> lastFreshStart) {
    public static final ReputationOptions DEFAULT = new ReputationOptions(false, Optional.empty());
}
