package io.poolmta.store;

import io.poolmta.managed.ProviderLevel;
import io.poolmta.managed.ProviderWarmupStore;
import java.util.List;
import java.util.Optional;

/** Per (IP, provider) warm-up positions of managed IPs in SQL. */
public final class JdbcProviderWarmupStore implements ProviderWarmupStore {
    private final Jdbc jdbc;

    public JdbcProviderWarmupStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Optional<ProviderLevel> get(String address, String provider) {
        return jdbc.queryOne(
                "SELECT day_level, epoch_day, sent, last_active_day FROM ip_provider_warmup"
                        + " WHERE address = ? AND provider = ?",
                rs -> new ProviderLevel(rs.getInt(1), rs.getLong(2), rs.getLong(3), rs.getLong(4)),
                address,
                provider);
    }

    @Override
    public long lastActiveDay(String address) {
        return jdbc.queryOne(
                        "SELECT MAX(last_active_day) FROM ip_provider_warmup WHERE address = ?",
                        rs -> {
                            long day = rs.getLong(1);
                            return rs.wasNull() ? ProviderLevel.NEVER : day;
                        },
                        address)
                .orElse(ProviderLevel.NEVER);
    }

    @Override
    public void put(String address, String provider, ProviderLevel level) {
        jdbc.writeOwnRows(() -> {
            if (jdbc.update(
                            "UPDATE ip_provider_warmup SET day_level = ?, epoch_day = ?, sent = ?, last_active_day = ?"
                                    + " WHERE address = ? AND provider = ?",
                            level.level(),
                            level.day(),
                            level.sent(),
                            level.lastActiveDay(),
                            address,
                            provider)
                    == 0) {
                jdbc.update(
                        "INSERT INTO ip_provider_warmup (address, provider, day_level, epoch_day, sent, last_active_day)"
                                + " VALUES (?, ?, ?, ?, ?, ?)",
                        address,
                        provider,
                        level.level(),
                        level.day(),
                        level.sent(),
                        level.lastActiveDay());
            }
            return null;
        });
    }

    @Override
    public List<String> providersOf(String address) {
        return jdbc.query(
                "SELECT provider FROM ip_provider_warmup WHERE address = ? ORDER BY provider",
                rs -> rs.getString(1),
                address);
    }
}
