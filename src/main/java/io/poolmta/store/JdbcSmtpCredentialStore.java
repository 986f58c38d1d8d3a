package io.poolmta.store;

import io.poolmta.account.SmtpCredential;
import io.poolmta.account.SmtpCredentialStore;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** SMTP credentials (user name, account, password hash) in SQL. */
public final class JdbcSmtpCredentialStore implements SmtpCredentialStore {
    private static final String COLUMNS = "username, account_id, password_hash, created_at_ms";
    private final Jdbc jdbc;

    public JdbcSmtpCredentialStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(SmtpCredential c) {
        jdbc.update(
                "INSERT INTO smtp_credentials (" + COLUMNS + ") VALUES (?, ?, ?, ?)",
                c.username(),
                c.accountId(),
                c.passwordHash(),
                c.createdAt().toEpochMilli());
    }

    @Override
    public Optional<SmtpCredential> byUsername(String username) {
        return jdbc.queryOne(
                "SELECT " + COLUMNS + " FROM smtp_credentials WHERE username = ?",
                JdbcSmtpCredentialStore::credential,
                username);
    }

    @Override
    public List<SmtpCredential> byAccount(String accountId) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM smtp_credentials WHERE account_id = ?"
                        + " ORDER BY created_at_ms, username",
                JdbcSmtpCredentialStore::credential,
                accountId);
    }

    @Override
    public boolean delete(String username) {
        return jdbc.update("DELETE FROM smtp_credentials WHERE username = ?", username) > 0;
    }

    private static SmtpCredential credential(ResultSet rs) throws SQLException {
        return new SmtpCredential(
                rs.getString("username"),
                rs.getString("account_id"),
                rs.getString("password_hash"),
                Instant.ofEpochMilli(rs.getLong("created_at_ms")));
    }
}
