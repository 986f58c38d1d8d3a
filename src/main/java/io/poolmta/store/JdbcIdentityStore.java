package io.poolmta.store;

import io.poolmta.identity.BehaviorOnMxFailure;
import io.poolmta.identity.DkimAttributes;
import io.poolmta.identity.DkimKey;
import io.poolmta.identity.DkimKeyLength;
import io.poolmta.identity.EmailIdentity;
import io.poolmta.identity.IdentityStore;
import io.poolmta.identity.IdentityType;
import io.poolmta.identity.KeyRotation;
import io.poolmta.identity.MailFromAttributes;
import io.poolmta.identity.SigningOrigin;
import io.poolmta.identity.VerificationError;
import io.poolmta.identity.VerificationInfo;
import io.poolmta.identity.VerificationStatus;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Identities in SQL. Every message will look its sender's identity up (From check, DKIM signer),
 * so reads are served from an in-memory snapshot of the table, reloaded after each committed write.
 */
public final class JdbcIdentityStore implements IdentityStore {
    private static final String COLUMNS =
            "account_id, identity_name, identity_type, created_at_ms, verification_status,"
                    + " operator_vouched, feedback_forwarding, configuration_set_name, dkim_signing_enabled, dkim_status,"
                    + " dkim_status_since_ms, dkim_origin, dkim_selector, dkim_public_key, dkim_next_key_length, dkim_key_length,"
                    + " dkim_key_made_ms, dkim_checked_ms, dkim_found_ms, dkim_error, mail_from_domain, mail_from_status,"
                    + " mail_from_behavior, mail_from_status_since_ms, mail_from_checked_ms, mail_from_found_ms,"
                    + " mail_from_error, dkim_next_selector, dkim_next_public_key, dkim_next_length, dkim_next_made_ms";

    private final Jdbc jdbc;
    private final CommittedSnapshot<Map<String, EmailIdentity>> identities;

    public JdbcIdentityStore(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.identities = new CommittedSnapshot<>(jdbc, List.of("email_identities"), () -> {
            Map<String, EmailIdentity> out = new HashMap<>();
            jdbc.query("SELECT " + COLUMNS + " FROM email_identities", JdbcIdentityStore::identity)
                    .forEach(i -> out.put(key(i.accountId(), i.name()), i));
            return Map.copyOf(out);
        });
    }

    @Override
    public void insert(EmailIdentity i) {
        jdbc.update(
                "INSERT INTO email_identities (" + COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                        + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                values(i, true));
    }

    @Override
    public void update(EmailIdentity i) {
        jdbc.update(
                "UPDATE email_identities SET verification_status = ?, operator_vouched = ?, feedback_forwarding = ?,"
                        + " configuration_set_name = ?, dkim_signing_enabled = ?, dkim_status = ?, dkim_status_since_ms = ?,"
                        + " dkim_origin = ?, dkim_selector = ?, dkim_public_key = ?, dkim_next_key_length = ?, dkim_key_length = ?,"
                        + " dkim_key_made_ms = ?, dkim_checked_ms = ?, dkim_found_ms = ?, dkim_error = ?, mail_from_domain = ?,"
                        + " mail_from_status = ?, mail_from_behavior = ?, mail_from_status_since_ms = ?,"
                        + " mail_from_checked_ms = ?, mail_from_found_ms = ?, mail_from_error = ?, dkim_next_selector = ?,"
                        + " dkim_next_public_key = ?, dkim_next_length = ?, dkim_next_made_ms = ?"
                        + " WHERE account_id = ? AND identity_name = ?",
                values(i, false));
    }

    @Override
    public void delete(String accountId, String name) {
        jdbc.update("DELETE FROM email_identities WHERE account_id = ? AND identity_name = ?", accountId, name);
    }

    @Override
    public Optional<EmailIdentity> get(String accountId, String name) {
        return Optional.ofNullable(identities.get().get(key(accountId, name)));
    }

    @Override
    public List<EmailIdentity> ofAccount(String accountId) {
        List<EmailIdentity> out = new ArrayList<>();
        for (EmailIdentity i : identities.get().values()) {
            if (i.accountId().equals(accountId)) {
                out.add(i);
            }
        }
        out.sort(Comparator.comparing(EmailIdentity::name));
        return out;
    }

    @Override
    public List<EmailIdentity> all() {
        List<EmailIdentity> out = new ArrayList<>(identities.get().values());
        out.sort(Comparator.comparing(EmailIdentity::accountId).thenComparing(EmailIdentity::name));
        return out;
    }

    @Override
    public List<EmailIdentity> domains() {
        List<EmailIdentity> out = new ArrayList<>();
        for (EmailIdentity i : identities.get().values()) {
            if (i.type() == IdentityType.DOMAIN) {
                out.add(i);
            }
        }
        out.sort(Comparator.comparing(EmailIdentity::accountId).thenComparing(EmailIdentity::name));
        return out;
    }

    private static String key(String accountId, String name) {
        return accountId + "/" + name;
    }

    private static Object[] values(EmailIdentity i, boolean insert) {
        DkimAttributes d = i.dkim();
        MailFromAttributes m = i.mailFrom();
        List<Object> mutable = new ArrayList<>(List.of(i.status().name(), i.operatorVouched(), i.feedbackForwarding()));
        mutable.add(i.configurationSetName().orElse(null));
        mutable.add(d.signingEnabled());
        mutable.add(d.status().name());
        mutable.add(d.statusSince().toEpochMilli());
        mutable.add(d.origin().name());
        mutable.add(d.selector().orElse(null));
        mutable.add(d.publicKey().orElse(null));
        mutable.add(d.nextKeyLength().name());
        mutable.add(d.currentKeyLength().map(Enum::name).orElse(null));
        mutable.add(d.lastKeyGeneration().map(Instant::toEpochMilli).orElse(null));
        mutable.add(d.info().lastChecked().map(Instant::toEpochMilli).orElse(null));
        mutable.add(d.info().lastSuccess().map(Instant::toEpochMilli).orElse(null));
        mutable.add(d.info().error().map(Enum::name).orElse(null));
        mutable.add(m.domain().orElse(null));
        mutable.add(m.status().name());
        mutable.add(m.behaviorOnMxFailure().name());
        mutable.add(m.statusSince().toEpochMilli());
        mutable.add(m.info().lastChecked().map(Instant::toEpochMilli).orElse(null));
        mutable.add(m.info().lastSuccess().map(Instant::toEpochMilli).orElse(null));
        mutable.add(m.info().error().map(Enum::name).orElse(null));
        Optional<KeyRotation> next = d.rotation();
        mutable.add(next.map(r -> r.key().selector()).orElse(null));
        mutable.add(next.map(r -> r.key().publicKeyBase64()).orElse(null));
        mutable.add(next.map(r -> r.key().length().name()).orElse(null));
        mutable.add(next.map(r -> r.made().toEpochMilli()).orElse(null));
        List<Object> out = new ArrayList<>();
        if (insert) {
            out.addAll(List.of(
                    i.accountId(), i.name(), i.type().name(), i.createdAt().toEpochMilli()));
            out.addAll(mutable);
        } else {
            out.addAll(mutable);
            out.add(i.accountId());
            out.add(i.name());
        }
        return out.toArray();
    }

    private static EmailIdentity identity(ResultSet rs) throws SQLException {
        DkimAttributes dkim = new DkimAttributes(
                rs.getBoolean("dkim_signing_enabled"),
                VerificationStatus.valueOf(rs.getString("dkim_status")),
                Instant.ofEpochMilli(rs.getLong("dkim_status_since_ms")),
                SigningOrigin.valueOf(rs.getString("dkim_origin")),
                Jdbc.optionalString(rs, "dkim_selector"),
                Jdbc.optionalString(rs, "dkim_public_key"),
                DkimKeyLength.valueOf(rs.getString("dkim_next_key_length")),
                Jdbc.optionalString(rs, "dkim_key_length").map(DkimKeyLength::valueOf),
                Jdbc.optionalLong(rs, "dkim_key_made_ms").map(Instant::ofEpochMilli),
                new VerificationInfo(
                        Jdbc.optionalLong(rs, "dkim_checked_ms").map(Instant::ofEpochMilli),
                        Jdbc.optionalLong(rs, "dkim_found_ms").map(Instant::ofEpochMilli),
                        Jdbc.optionalString(rs, "dkim_error").map(VerificationError::valueOf)),
                rotation(rs));
        MailFromAttributes mailFrom = new MailFromAttributes(
                Jdbc.optionalString(rs, "mail_from_domain"),
                VerificationStatus.valueOf(rs.getString("mail_from_status")),
                BehaviorOnMxFailure.valueOf(rs.getString("mail_from_behavior")),
                Instant.ofEpochMilli(
                        Jdbc.optionalLong(rs, "mail_from_status_since_ms").orElse(0L)),
                new VerificationInfo(
                        Jdbc.optionalLong(rs, "mail_from_checked_ms").map(Instant::ofEpochMilli),
                        Jdbc.optionalLong(rs, "mail_from_found_ms").map(Instant::ofEpochMilli),
                        Jdbc.optionalString(rs, "mail_from_error").map(VerificationError::valueOf)));
        return new EmailIdentity(
                rs.getString("account_id"),
                rs.getString("identity_name"),
                IdentityType.valueOf(rs.getString("identity_type")),
                Instant.ofEpochMilli(rs.getLong("created_at_ms")),
                VerificationStatus.valueOf(rs.getString("verification_status")),
                rs.getBoolean("operator_vouched"),
                dkim,
                mailFrom,
                rs.getBoolean("feedback_forwarding"),
                Jdbc.optionalString(rs, "configuration_set_name"));
    }

    private static Optional<KeyRotation> rotation(ResultSet rs) throws SQLException {
        Optional<String> selector = Jdbc.optionalString(rs, "dkim_next_selector");
        if (selector.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new KeyRotation(
                new DkimKey(
                        selector.get(),
                        DkimKeyLength.valueOf(rs.getString("dkim_next_length")),
                        rs.getString("dkim_next_public_key")),
                Instant.ofEpochMilli(rs.getLong("dkim_next_made_ms"))));
    }
}
