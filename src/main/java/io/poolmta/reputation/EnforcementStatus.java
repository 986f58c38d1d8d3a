package io.poolmta.reputation;

/** SES's account enforcement statuses. */
public enum EnforcementStatus {
    HEALTHY,
    /** Under review: a rate is at or over the review threshold. */
    PROBATION,
    /** Paused: a rate reached the pause threshold; stays until the operator reinstates. */
    SHUTDOWN
}
