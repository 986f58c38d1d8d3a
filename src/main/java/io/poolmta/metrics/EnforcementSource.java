package io.poolmta.metrics;

/**
 * An account's SES enforcement status (HEALTHY, PROBATION or SHUTDOWN) for the metrics. Until
 * reputation counters exist every account is {@link #ALWAYS_HEALTHY}; the enforcement that keeps
 * the counters supplies the real one here.
 */
@FunctionalInterface
public interface EnforcementSource {
    EnforcementSource ALWAYS_HEALTHY = accountId -> "HEALTHY";

    String status(String accountId);
}
