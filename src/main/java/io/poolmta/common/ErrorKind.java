package io.poolmta.common;

/**
 * What went wrong, in domain terms. The API adapter maps each kind to the SES error type and HTTP
 * status of the same name; the domain never speaks HTTP.
 */
public enum ErrorKind {
    BAD_REQUEST,
    NOT_FOUND,
    ALREADY_EXISTS,
    LIMIT_EXCEEDED,
    SENDING_PAUSED,
    MESSAGE_REJECTED,
    /** A sender address no verified identity of the account covers (SES's MessageRejected). */
    SENDER_NOT_VERIFIED,
    /** The sender's custom MAIL FROM domain is not verified and its identity says REJECT_MESSAGE. */
    MAIL_FROM_DOMAIN_NOT_VERIFIED,
    TOO_MANY_REQUESTS,
    /** The account is over its sending rate (SES TooManyRequestsException, SMTP 454). */
    THROTTLED,
    CONFLICT
}
