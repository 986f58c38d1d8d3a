package io.poolmta.identity;

/** Who made a domain's DKIM key: PoolMTA (AWS_SES, as SES calls it) or the account (EXTERNAL). */
public enum SigningOrigin {
    AWS_SES,
    EXTERNAL
}
