package io.poolmta.store;

import io.poolmta.account.AccessKey;
import io.poolmta.account.Account;
import io.poolmta.account.AccountStore;
import io.poolmta.account.SendQuota;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Accounts and access keys in SQL. */
public final class JdbcAccountStore implements AccountStore {
    private static final String COLUMNS =
            "id, account_name, created_at_ms, auto_warmup, sending_enabled, max_24_hour_send, max_send_rate";
    private final Jdbc jdbc;

    public JdbcAccountStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(Account a) {
        jdbc.update("INSERT INTO accounts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?)",
                a.id(), a.name(), a.createdAt().toEpochMilli(), a.dedicatedIpAutoWarmupEnabled(), a.sendingEnabled(),
                a.sendQuota().max24HourSend(), a.sendQuota().maxSendRate());
    }

    @Override
    public void update(Account a) {
        jdbc.update("UPDATE accounts SET account_name = ?, auto_warmup = ?, sending_enabled = ?, max_24_hour_send = ?,"
                        + " max_send_rate = ? WHERE id = ?",
                a.name(), a.dedicatedIpAutoWarmupEnabled(), a.sendingEnabled(), a.sendQuota().max24HourSend(),
                a.sendQuota().maxSendRate(), a.id());
    }

    @Override
    public Optional<Account> byId(String id) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM accounts WHERE id = ?", JdbcAccountStore::account, id);
    }

    @Override
    public Optional<Account> byName(String name) {
        return jdbc.queryOne("SELECT " + COLUMNS + " FROM accounts WHERE account_name = ?", JdbcAccountStore::account, name);
    }

    @Override
    public List<Account> all() {
        return jdbc.query("SELECT " + COLUMNS + " FROM accounts ORDER BY account_name", JdbcAccountStore::account);
    }

    @Override
    public void insertKey(AccessKey key) {
        jdbc.update("INSERT INTO access_keys (access_key_id, secret_key, account_id) VALUES (?, ?, ?)",
                key.accessKeyId(), key.secretAccessKey(), key.accountId());
    }

    @Override
    public Optional<AccessKey> key(String accessKeyId) {
        return jdbc.queryOne("SELECT access_key_id, secret_key, account_id FROM access_keys WHERE access_key_id = ?",
                rs -> new AccessKey(rs.getString(1), rs.getString(2), rs.getString(3)), accessKeyId);
    }

    private static Account account(ResultSet rs) throws SQLException {
        return new Account(rs.getString("id"), rs.getString("account_name"),
                Instant.ofEpochMilli(rs.getLong("created_at_ms")), rs.getBoolean("auto_warmup"),
                rs.getBoolean("sending_enabled"),
                new SendQuota(rs.getLong("max_24_hour_send"), rs.getDouble("max_send_rate")));
    }
}
