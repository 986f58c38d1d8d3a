package io.poolmta.identity;

/** What to do with mail when the custom MAIL FROM domain's MX record is not found (SES's choices). */
public enum BehaviorOnMxFailure {
    USE_DEFAULT_VALUE,
    REJECT_MESSAGE
}
