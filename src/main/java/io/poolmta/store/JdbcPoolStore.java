package io.poolmta.store;

import io.poolmta.pool.DedicatedIpPool;
import io.poolmta.pool.PoolStore;
import io.poolmta.pool.ScalingMode;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Pools in SQL; reads come from an in-memory copy of every pool, reloaded after any committed write. */
public final class JdbcPoolStore implements PoolStore {
    private final Jdbc jdbc;
    private final CommittedSnapshot<Map<String, List<DedicatedIpPool>>> byAccount;

    public JdbcPoolStore(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.byAccount = new CommittedSnapshot<>(jdbc, List.of("ip_pools"), () -> {
            Map<String, List<DedicatedIpPool>> out = new HashMap<>();
            for (DedicatedIpPool p : jdbc.query("SELECT * FROM ip_pools ORDER BY pool_name", JdbcPoolStore::pool)) {
                out.computeIfAbsent(p.accountId(), k -> new ArrayList<>()).add(p);
            }
            out.replaceAll((k, v) -> List.copyOf(v));
            return Map.copyOf(out);
        });
    }

    @Override
    public void insert(DedicatedIpPool pool) {
        jdbc.update(
                "INSERT INTO ip_pools (account_id, pool_name, scaling_mode, created_at_ms) VALUES (?, ?, ?, ?)",
                pool.accountId(),
                pool.name(),
                pool.scalingMode().name(),
                pool.createdAt().toEpochMilli());
    }

    @Override
    public void update(DedicatedIpPool pool) {
        jdbc.update(
                "UPDATE ip_pools SET scaling_mode = ? WHERE account_id = ? AND pool_name = ?",
                pool.scalingMode().name(),
                pool.accountId(),
                pool.name());
    }

    @Override
    public void delete(String accountId, String name) {
        jdbc.update("DELETE FROM ip_pools WHERE account_id = ? AND pool_name = ?", accountId, name);
    }

    @Override
    public Optional<DedicatedIpPool> get(String accountId, String name) {
        return ofAccount(accountId).stream().filter(p -> p.name().equals(name)).findFirst();
    }

    @Override
    public List<DedicatedIpPool> ofAccount(String accountId) {
        return byAccount.get().getOrDefault(accountId, List.of());
    }

    private static DedicatedIpPool pool(ResultSet rs) throws SQLException {
        return new DedicatedIpPool(
                rs.getString("account_id"),
                rs.getString("pool_name"),
                ScalingMode.valueOf(rs.getString("scaling_mode")),
                Instant.ofEpochMilli(rs.getLong("created_at_ms")));
    }
}
