package io.poolmta.account;

/** SES's ContactLanguage: the language an account prefers to be contacted in. */
public enum ContactLanguage {
    EN,
    JA
}
