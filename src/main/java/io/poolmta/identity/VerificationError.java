package io.poolmta.identity;

/** Why the latest DNS check did not find the record (SES's VerificationInfo.ErrorType). */
public enum VerificationError {
    /** The resolver did not answer, or answered with an error. */
    DNS_SERVER_ERROR,
    /** The record's name does not exist. */
    HOST_NOT_FOUND,
    /** The name exists but has no TXT record. */
    TYPE_NOT_FOUND,
    /** TXT records exist at the name, but none carries this identity's public key. */
    INVALID_VALUE
}
