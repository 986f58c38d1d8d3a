package io.poolmta.message;

/** REQUIRE: never deliver in clear. OPTIONAL: use TLS when the receiver offers it. */
public enum TlsPolicy {
    REQUIRE,
    OPTIONAL
}
