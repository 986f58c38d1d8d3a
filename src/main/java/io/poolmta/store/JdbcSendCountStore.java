package io.poolmta.store;

import io.poolmta.account.SendCountStore;
import java.util.List;

/** Per-account recipient counts per time bucket in SQL (the rolling 24-hour count). */
public final class JdbcSendCountStore implements SendCountStore {
    private final Jdbc jdbc;

    public JdbcSendCountStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<BucketCount> since(long fromMs) {
        return jdbc.query(
                "SELECT account_id, bucket_start_ms, sent FROM account_sends WHERE bucket_start_ms >= ?",
                rs -> new BucketCount(rs.getString(1), rs.getLong(2), rs.getLong(3)),
                fromMs);
    }

    @Override
    public void putAll(List<BucketCount> counts) {
        jdbc.write(() -> {
            for (BucketCount c : counts) {
                if (jdbc.update(
                                "UPDATE account_sends SET sent = ? WHERE account_id = ? AND bucket_start_ms = ?",
                                c.sent(),
                                c.accountId(),
                                c.bucketStartMs())
                        == 0) {
                    jdbc.update(
                            "INSERT INTO account_sends (account_id, bucket_start_ms, sent) VALUES (?, ?, ?)",
                            c.accountId(),
                            c.bucketStartMs(),
                            c.sent());
                }
            }
            return null;
        });
    }

    @Override
    public void deleteBefore(long cutoffMs) {
        jdbc.update("DELETE FROM account_sends WHERE bucket_start_ms < ?", cutoffMs);
    }
}
