package io.poolmta.store;

import io.poolmta.managed.ManagedDemand;
import io.poolmta.managed.ManagedDemandStore;
import java.util.LinkedHashMap;
import java.util.Map;

/** Unmet managed-pool demand handed between nodes, in SQL: one row per pool and provider. */
public final class JdbcManagedDemandStore implements ManagedDemandStore {
    private final Jdbc jdbc;

    public JdbcManagedDemandStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void add(Map<ManagedDemand.Key, Long> misses) {
        if (misses.isEmpty()) {
            return;
        }
        jdbc.writeOwnRows(() -> {
            for (Map.Entry<ManagedDemand.Key, Long> e : misses.entrySet()) {
                ManagedDemand.Key k = e.getKey();
                if (jdbc.update(
                                "UPDATE managed_demand SET misses = misses + ?"
                                        + " WHERE account_id = ? AND pool_name = ? AND provider = ?",
                                e.getValue(),
                                k.accountId(),
                                k.pool(),
                                k.provider())
                        == 0) {
                    jdbc.update(
                            "INSERT INTO managed_demand (account_id, pool_name, provider, misses) VALUES (?, ?, ?, ?)",
                            k.accountId(),
                            k.pool(),
                            k.provider(),
                            e.getValue());
                }
            }
            return null;
        });
    }

    @Override
    public Map<ManagedDemand.Key, Long> takeAll() {
        return jdbc.writeOwnRows(() -> {
            Map<ManagedDemand.Key, Long> out = new LinkedHashMap<>();
            for (var row : jdbc.query(
                    "SELECT account_id, pool_name, provider, misses FROM managed_demand",
                    rs -> Map.entry(
                            new ManagedDemand.Key(rs.getString(1), rs.getString(2), rs.getString(3)), rs.getLong(4)))) {
                ManagedDemand.Key k = row.getKey();
                out.put(k, row.getValue());
                // take what was read, not the row: misses another node adds meanwhile stay
                jdbc.update(
                        "UPDATE managed_demand SET misses = misses - ?"
                                + " WHERE account_id = ? AND pool_name = ? AND provider = ?",
                        row.getValue(),
                        k.accountId(),
                        k.pool(),
                        k.provider());
                jdbc.update(
                        "DELETE FROM managed_demand WHERE account_id = ? AND pool_name = ? AND provider = ?"
                                + " AND misses <= 0",
                        k.accountId(),
                        k.pool(),
                        k.provider());
            }
            return out;
        });
    }
}
