package io.poolmta.store;

import io.poolmta.identity.VerificationTokenStore;
import java.time.Instant;
import java.util.Optional;

/** Email-verification links in SQL, by token hash. */
public final class JdbcVerificationTokenStore implements VerificationTokenStore {
    private final Jdbc jdbc;

    public JdbcVerificationTokenStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(Entry entry, Instant createdAt) {
        jdbc.update(
                "INSERT INTO email_verification_tokens (token_hash, account_id, identity_name, created_at_ms,"
                        + " expires_at_ms, used_at_ms) VALUES (?, ?, ?, ?, ?, ?)",
                entry.tokenHash(),
                entry.accountId(),
                entry.identity(),
                createdAt.toEpochMilli(),
                entry.expiresAt().toEpochMilli(),
                entry.usedAt().map(Instant::toEpochMilli).orElse(null));
    }

    @Override
    public Optional<Entry> byHash(String tokenHash) {
        return jdbc.queryOne(
                "SELECT * FROM email_verification_tokens WHERE token_hash = ?",
                rs -> new Entry(
                        rs.getString("token_hash"),
                        rs.getString("account_id"),
                        rs.getString("identity_name"),
                        Instant.ofEpochMilli(rs.getLong("expires_at_ms")),
                        Jdbc.optionalLong(rs, "used_at_ms").map(Instant::ofEpochMilli)),
                tokenHash);
    }

    @Override
    public void markUsed(String tokenHash, Instant at) {
        jdbc.update(
                "UPDATE email_verification_tokens SET used_at_ms = ? WHERE token_hash = ?",
                at.toEpochMilli(),
                tokenHash);
    }
}
