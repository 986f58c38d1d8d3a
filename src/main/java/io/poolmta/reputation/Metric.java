package io.poolmta.reputation;

/** What the counters count, one per recipient each time it happens. */
public enum Metric {
    /** Accepted for delivery (a Send event). */
    SENT,
    /** Accepted by the receiving server. */
    DELIVERED,
    /** A delivery attempt deferred (a DeliveryDelay event); a recipient may be delayed several times. */
    DELAYED,
    /** A Permanent bounce, other than a suppressed recipient. */
    BOUNCED_PERMANENT,
    /** A Transient or Undetermined bounce. */
    BOUNCED_TRANSIENT,
    /** A complaint (feedback loop report). */
    COMPLAINED,
    /** Not sent because the recipient is on a suppression list (Permanent bounce, subtype Suppressed or OnAccountSuppressionList). */
    SUPPRESSED
}
