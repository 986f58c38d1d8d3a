package io.poolmta.reputation;

import java.time.Instant;
import java.util.Optional;

/**
 * What enforcement keeps of a scope across restarts: since when it is paused (empty: not paused)
 * and why, and its last fresh start (rates count only hours that begin at or after it).
 */
public record EnforcementRecord(
        Scope scope, Optional<Instant> shutdownSince, String reason, Optional<Instant> freshStart) {
    public static EnforcementRecord none(Scope scope) {
        return new EnforcementRecord(scope, Optional.empty(), "", Optional.empty());
    }
}
