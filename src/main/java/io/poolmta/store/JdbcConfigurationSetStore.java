package io.poolmta.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolmta.common.PoolMtaException;
import io.poolmta.configset.ConfigurationSet;
import io.poolmta.configset.ConfigurationSetStore;
import io.poolmta.configset.DeliveryOptions;
import io.poolmta.configset.ReputationOptions;
import io.poolmta.message.TlsPolicy;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Configuration sets in SQL; the option groups kept as given are one JSON column. */
public final class JdbcConfigurationSetStore implements ConfigurationSetStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The size of the stored_options column (V1__control_plane.sql), in characters. */
    static final int MAX_STORED_OPTIONS_CHARS = 1_000_000;

    private final Jdbc jdbc;

    private final CommittedSnapshot<Map<String, ConfigurationSet>> sets;

    /** Every message names its configuration set: single sets are served from an in-memory snapshot. */
    public JdbcConfigurationSetStore(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.sets = new CommittedSnapshot<>(jdbc, List.of("configuration_sets"), () -> {
            Map<String, ConfigurationSet> out = new HashMap<>();
            jdbc.query("SELECT * FROM configuration_sets", JdbcConfigurationSetStore::set)
                    .forEach(s -> out.put(s.accountId() + "/" + s.name(), s));
            return Map.copyOf(out);
        });
    }

    @Override
    public void insert(ConfigurationSet s) {
        jdbc.update(
                "INSERT INTO configuration_sets (account_id, set_name, created_at_ms, tls_policy, sending_pool_name,"
                        + " max_delivery_seconds, sending_enabled, reputation_metrics_enabled, last_fresh_start_ms,"
                        + " stored_options) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                s.accountId(),
                s.name(),
                s.createdAt().toEpochMilli(),
                s.deliveryOptions().tlsPolicy().name(),
                s.deliveryOptions().sendingPoolName().orElse(null),
                s.deliveryOptions().maxDeliverySeconds().orElse(null),
                s.sendingEnabled(),
                s.reputationOptions().reputationMetricsEnabled(),
                s.reputationOptions()
                        .lastFreshStart()
                        .map(Instant::toEpochMilli)
                        .orElse(null),
                toJson(s.storedOptions()));
    }

    @Override
    public void update(ConfigurationSet s) {
        jdbc.update(
                "UPDATE configuration_sets SET tls_policy = ?, sending_pool_name = ?, max_delivery_seconds = ?,"
                        + " sending_enabled = ?, reputation_metrics_enabled = ?, last_fresh_start_ms = ?, stored_options = ?"
                        + " WHERE account_id = ? AND set_name = ?",
                s.deliveryOptions().tlsPolicy().name(),
                s.deliveryOptions().sendingPoolName().orElse(null),
                s.deliveryOptions().maxDeliverySeconds().orElse(null),
                s.sendingEnabled(),
                s.reputationOptions().reputationMetricsEnabled(),
                s.reputationOptions()
                        .lastFreshStart()
                        .map(Instant::toEpochMilli)
                        .orElse(null),
                toJson(s.storedOptions()),
                s.accountId(),
                s.name());
    }

    @Override
    public void delete(String accountId, String name) {
        jdbc.update("DELETE FROM configuration_sets WHERE account_id = ? AND set_name = ?", accountId, name);
    }

    @Override
    public Optional<ConfigurationSet> get(String accountId, String name) {
        return Optional.ofNullable(sets.get().get(accountId + "/" + name));
    }

    @Override
    public List<String> names(String accountId) {
        return jdbc.query(
                "SELECT set_name FROM configuration_sets WHERE account_id = ? ORDER BY set_name",
                rs -> rs.getString(1),
                accountId);
    }

    @Override
    public List<String> configurationSetsUsing(String accountId, String poolName) {
        return jdbc.query(
                "SELECT set_name FROM configuration_sets WHERE account_id = ? AND sending_pool_name = ?"
                        + " ORDER BY set_name",
                rs -> rs.getString(1),
                accountId,
                poolName);
    }

    private static ConfigurationSet set(ResultSet rs) throws SQLException {
        DeliveryOptions delivery = new DeliveryOptions(
                TlsPolicy.valueOf(rs.getString("tls_policy")),
                Jdbc.optionalString(rs, "sending_pool_name"),
                Jdbc.optionalLong(rs, "max_delivery_seconds"));
        ReputationOptions reputation = new ReputationOptions(
                rs.getBoolean("reputation_metrics_enabled"),
                Jdbc.optionalLong(rs, "last_fresh_start_ms").map(Instant::ofEpochMilli));
        return new ConfigurationSet(
                rs.getString("account_id"),
                rs.getString("set_name"),
                Instant.ofEpochMilli(rs.getLong("created_at_ms")),
                delivery,
                rs.getBoolean("sending_enabled"),
                reputation,
                fromJson(rs.getString("stored_options")));
    }

    private static String toJson(Map<String, String> options) {
        String json;
        try {
            json = JSON.writeValueAsString(options);
        } catch (JsonProcessingException e) {
            throw new StoreException("cannot encode options", e);
        }
        if (json.length() > MAX_STORED_OPTIONS_CHARS) {
            throw PoolMtaException.badRequest(
                    "The option groups of this configuration set (" + String.join(", ", options.keySet())
                            + ") would take " + json.length() + " characters together; at most "
                            + MAX_STORED_OPTIONS_CHARS + " can be stored.");
        }
        return json;
    }

    private static Map<String, String> fromJson(String json) throws SQLException {
        try {
            return JSON.readValue(json, new TypeReference<Map<String, String>>() {});
        } catch (JsonProcessingException e) {
            throw new SQLException("stored options are not JSON", e);
        }
    }
}
