package io.poolmta.identity;

import java.time.Instant;
import java.util.Optional;

/** The one-time links of email-address verification, by the SHA-256 of their token (never the token). */
public interface VerificationTokenStore {
    /** One link: whose identity it verifies, until when, and when it was used (if it was). */
    record Entry(String tokenHash, String accountId, String identity, Instant expiresAt, Optional<Instant> usedAt) {}

    void insert(Entry entry, Instant createdAt);

    Optional<Entry> byHash(String tokenHash);

    void markUsed(String tokenHash, Instant at);
}
