package io.poolmta.store;

import io.poolmta.egress.VolumeStore;
import java.time.Instant;

/** Per-IP warm-up window counts in SQL. */
public final class JdbcVolumeStore implements VolumeStore {
    private final Jdbc jdbc;

    public JdbcVolumeStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public long get(String address, Instant windowStart) {
        return jdbc.queryOne(
                        "SELECT sent FROM ip_volume WHERE address = ? AND window_start_ms = ?",
                        rs -> rs.getLong(1),
                        address,
                        windowStart.toEpochMilli())
                .orElse(0L);
    }

    @Override
    public void put(String address, Instant windowStart, long sent) {
        jdbc.writeOwnRows(() -> {
            if (jdbc.update(
                            "UPDATE ip_volume SET sent = ? WHERE address = ? AND window_start_ms = ?",
                            sent,
                            address,
                            windowStart.toEpochMilli())
                    == 0) {
                jdbc.update(
                        "INSERT INTO ip_volume (address, window_start_ms, sent) VALUES (?, ?, ?)",
                        address,
                        windowStart.toEpochMilli(),
                        sent);
            }
            return null;
        });
    }

    @Override
    public void deleteBefore(Instant cutoff) {
        jdbc.update("DELETE FROM ip_volume WHERE window_start_ms < ?", cutoff.toEpochMilli());
    }
}
