package io.poolmta.identity;

/**
 * SES's verification states, used for an identity, its DKIM records and its MAIL FROM domain:
 * PENDING until the record is found, SUCCESS once it is, FAILED when it was not found for 72 hours,
 * TEMPORARY_FAILURE when a record found before has gone (or DNS fails) and NOT_STARTED when there
 * is nothing to check.
 */
public enum VerificationStatus {
    PENDING,
    SUCCESS,
    FAILED,
    TEMPORARY_FAILURE,
    NOT_STARTED
}
