package io.poolmta.account;

/**
 * SES's ReviewStatus of a production-access request: PENDING until the operator grants it
 * ({@code poolmta account production-access}), then GRANTED. PoolMTA never sets DENIED or FAILED.
 */
public enum ReviewStatus {
    PENDING,
    FAILED,
    GRANTED,
    DENIED
}
