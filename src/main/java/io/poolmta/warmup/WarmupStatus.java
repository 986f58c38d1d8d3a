package io.poolmta.warmup;

/** SES's warm-up status of a dedicated IP. Managed-pool IPs are warmed per provider: NOT_APPLICABLE. */
public enum WarmupStatus {
    IN_PROGRESS,
    DONE,
    NOT_APPLICABLE
}
