package io.poolmta.store;

import io.poolmta.account.AccessKey;
import io.poolmta.account.Account;
import io.poolmta.account.AccountDetails;
import io.poolmta.account.AccountStore;
import io.poolmta.account.ContactLanguage;
import io.poolmta.account.MailType;
import io.poolmta.account.ReviewStatus;
import io.poolmta.account.SendQuota;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Accounts and access keys in SQL. */
public final class JdbcAccountStore implements AccountStore {
    private static final String COLUMNS =
            "id, account_name, created_at_ms, auto_warmup, sending_enabled, paused_by_operator, production_access,"
                    + " max_24_hour_send, max_send_rate";
    private static final String DETAILS =
            "mail_type, website_url, contact_language, use_case, contacts, review_status, submitted_at_ms";
    private final Jdbc jdbc;

    private final CommittedSnapshot<Map<String, Account>> byId;
    private final CommittedSnapshot<Map<String, AccessKey>> keys;

    /** Accounts and keys are read on every message and API call: served from in-memory snapshots. */
    public JdbcAccountStore(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.byId = new CommittedSnapshot<>(jdbc, List.of("accounts"), () -> {
            Map<String, Account> out = new HashMap<>();
            jdbc.query("SELECT " + COLUMNS + " FROM accounts", JdbcAccountStore::account)
                    .forEach(a -> out.put(a.id(), a));
            return Map.copyOf(out);
        });
        this.keys = new CommittedSnapshot<>(jdbc, List.of("access_keys"), () -> {
            Map<String, AccessKey> out = new HashMap<>();
            jdbc.query(
                            "SELECT access_key_id, secret_key, account_id FROM access_keys",
                            rs -> new AccessKey(rs.getString(1), rs.getString(2), rs.getString(3)))
                    .forEach(k -> out.put(k.accessKeyId(), k));
            return Map.copyOf(out);
        });
    }

    @Override
    public void insert(Account a) {
        jdbc.update(
                "INSERT INTO accounts (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                a.id(),
                a.name(),
                a.createdAt().toEpochMilli(),
                a.dedicatedIpAutoWarmupEnabled(),
                a.sendingEnabled(),
                a.pausedByOperator(),
                a.productionAccessEnabled(),
                a.sendQuota().max24HourSend(),
                a.sendQuota().maxSendRate());
    }

    @Override
    public void update(Account a) {
        jdbc.update(
                "UPDATE accounts SET account_name = ?, auto_warmup = ?, sending_enabled = ?, paused_by_operator = ?,"
                        + " production_access = ?, max_24_hour_send = ?, max_send_rate = ? WHERE id = ?",
                a.name(),
                a.dedicatedIpAutoWarmupEnabled(),
                a.sendingEnabled(),
                a.pausedByOperator(),
                a.productionAccessEnabled(),
                a.sendQuota().max24HourSend(),
                a.sendQuota().maxSendRate(),
                a.id());
    }

    @Override
    public Optional<Account> byId(String id) {
        return Optional.ofNullable(byId.get().get(id));
    }

    @Override
    public Optional<Account> byName(String name) {
        return jdbc.queryOne(
                "SELECT " + COLUMNS + " FROM accounts WHERE account_name = ?", JdbcAccountStore::account, name);
    }

    @Override
    public List<Account> all() {
        return jdbc.query("SELECT " + COLUMNS + " FROM accounts ORDER BY account_name", JdbcAccountStore::account);
    }

    @Override
    public void insertKey(AccessKey key) {
        jdbc.update(
                "INSERT INTO access_keys (access_key_id, secret_key, account_id) VALUES (?, ?, ?)",
                key.accessKeyId(),
                key.secretAccessKey(),
                key.accountId());
    }

    @Override
    public Optional<AccessKey> key(String accessKeyId) {
        return Optional.ofNullable(keys.get().get(accessKeyId));
    }

    @Override
    public Optional<AccountDetails> details(String accountId) {
        return jdbc.queryOne(
                "SELECT " + DETAILS + " FROM account_details WHERE account_id = ?",
                JdbcAccountStore::details,
                accountId);
    }

    @Override
    public void putDetails(String accountId, AccountDetails d) {
        jdbc.write(() -> {
            jdbc.update("DELETE FROM account_details WHERE account_id = ?", accountId);
            jdbc.update(
                    "INSERT INTO account_details (account_id, " + DETAILS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    accountId,
                    d.mailType().name(),
                    d.websiteUrl(),
                    d.contactLanguage().map(Enum::name).orElse(null),
                    d.useCaseDescription().orElse(null),
                    String.join("\n", d.additionalContactEmailAddresses()),
                    d.review().map(Enum::name).orElse(null),
                    d.submittedAt().toEpochMilli());
            return null;
        });
    }

    @Override
    public Map<String, AccountDetails> allDetails() {
        Map<String, AccountDetails> out = new HashMap<>();
        jdbc.query(
                        "SELECT account_id, " + DETAILS + " FROM account_details",
                        rs -> Map.entry(rs.getString("account_id"), details(rs)))
                .forEach(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }

    private static AccountDetails details(ResultSet rs) throws SQLException {
        String contacts = rs.getString("contacts");
        return new AccountDetails(
                MailType.valueOf(rs.getString("mail_type")),
                rs.getString("website_url"),
                Jdbc.optionalString(rs, "contact_language").map(ContactLanguage::valueOf),
                Jdbc.optionalString(rs, "use_case"),
                contacts.isEmpty() ? List.of() : List.of(contacts.split("\n")),
                Jdbc.optionalString(rs, "review_status").map(ReviewStatus::valueOf),
                Instant.ofEpochMilli(rs.getLong("submitted_at_ms")));
    }

    private static Account account(ResultSet rs) throws SQLException {
        return new Account(
                rs.getString("id"),
                rs.getString("account_name"),
                Instant.ofEpochMilli(rs.getLong("created_at_ms")),
                rs.getBoolean("auto_warmup"),
                rs.getBoolean("sending_enabled"),
                rs.getBoolean("paused_by_operator"),
                rs.getBoolean("production_access"),
                new SendQuota(rs.getLong("max_24_hour_send"), rs.getDouble("max_send_rate")));
    }
}
