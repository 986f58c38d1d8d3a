package io.poolmta.store;

import io.poolmta.advisor.DailyVolume;
import io.poolmta.advisor.DailyVolumeStore;
import java.util.List;

/** The advisor's daily volumes in SQL. */
public final class JdbcDailyVolumeStore implements DailyVolumeStore {
    private final Jdbc jdbc;

    public JdbcDailyVolumeStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void add(List<DailyVolume> deltas) {
        jdbc.writeOwnRows(() -> {
            for (DailyVolume d : deltas) {
                if (jdbc.update(
                                "UPDATE daily_volume SET sent = sent + ?, bounced = bounced + ?,"
                                        + " complained = complained + ? WHERE epoch_day = ? AND account_id = ?"
                                        + " AND set_name = ? AND pool_name = ? AND address = ? AND provider = ?",
                                d.sent(),
                                d.bounced(),
                                d.complained(),
                                d.day(),
                                d.accountId(),
                                d.configurationSet(),
                                d.pool(),
                                d.ip(),
                                d.provider())
                        == 0) {
                    jdbc.update(
                            "INSERT INTO daily_volume (epoch_day, account_id, set_name, pool_name, address, provider,"
                                    + " sent, bounced, complained) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            d.day(),
                            d.accountId(),
                            d.configurationSet(),
                            d.pool(),
                            d.ip(),
                            d.provider(),
                            d.sent(),
                            d.bounced(),
                            d.complained());
                }
            }
            return null;
        });
    }

    @Override
    public List<DailyVolume> since(long fromDay) {
        return jdbc.query(
                "SELECT epoch_day, account_id, set_name, pool_name, address, provider, sent, bounced, complained"
                        + " FROM daily_volume WHERE epoch_day >= ? ORDER BY epoch_day",
                rs -> new DailyVolume(
                        rs.getLong(1),
                        rs.getString(2),
                        rs.getString(3),
                        rs.getString(4),
                        rs.getString(5),
                        rs.getString(6),
                        rs.getLong(7),
                        rs.getLong(8),
                        rs.getLong(9)),
                fromDay);
    }

    @Override
    public void deleteBefore(long day) {
        jdbc.update("DELETE FROM daily_volume WHERE epoch_day < ?", day);
    }
}
