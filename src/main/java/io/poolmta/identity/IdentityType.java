package io.poolmta.identity;

/** What an identity names: one email address, or a domain (and so every address at it). */
public enum IdentityType {
    EMAIL_ADDRESS,
    DOMAIN
}
