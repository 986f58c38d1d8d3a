package io.poolmta.account;

/** SES's MailType: what kind of mail an account says it sends. */
public enum MailType {
    MARKETING,
    TRANSACTIONAL
}
