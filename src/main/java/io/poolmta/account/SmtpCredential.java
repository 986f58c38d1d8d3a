package io.poolmta.account;

import java.time.Instant;
import java.util.Objects;

/**
 * An SMTP user name of one account, as stored: only a salted hash of its password is kept
 * ({@link SmtpPasswordHash}), so a stored credential can be checked but never shown again.
 */
public record SmtpCredential(String username, String accountId, String passwordHash, Instant createdAt) {
    public SmtpCredential {
        Objects.requireNonNull(username);
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(passwordHash);
        Objects.requireNonNull(createdAt);
    }

    @Override
    public String toString() {
        return "SmtpCredential[" + username + ", account " + accountId + "]";
    }
}
