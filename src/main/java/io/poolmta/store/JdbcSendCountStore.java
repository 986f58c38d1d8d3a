package io.poolmta.store;

import io.poolmta.account.SendCountStore;
import java.util.List;

/**
 * Per-account recipient counts per time bucket and node in SQL (the rolling 24-hour count). On
 * opening, the node adopts the rows written before counts had a node ('').
 */
public final class JdbcSendCountStore implements SendCountStore {
    private final Jdbc jdbc;
    private final String node;

    public JdbcSendCountStore(Jdbc jdbc, String node) {
        if (node.isEmpty()) {
            throw new IllegalArgumentException("a node needs a name");
        }
        this.jdbc = jdbc;
        this.node = node;
        jdbc.update("UPDATE node_account_sends SET node = ? WHERE node = ''", node);
    }

    @Override
    public List<BucketCount> since(long fromMs) {
        return jdbc.query(
                "SELECT account_id, bucket_start_ms, sent FROM node_account_sends"
                        + " WHERE node = ? AND bucket_start_ms >= ?",
                rs -> new BucketCount(rs.getString(1), rs.getLong(2), rs.getLong(3)),
                node,
                fromMs);
    }

    @Override
    public List<BucketCount> othersSince(long fromMs) {
        return jdbc.query(
                "SELECT account_id, bucket_start_ms, SUM(sent) FROM node_account_sends"
                        + " WHERE node <> ? AND bucket_start_ms >= ? GROUP BY account_id, bucket_start_ms",
                rs -> new BucketCount(rs.getString(1), rs.getLong(2), rs.getLong(3)),
                node,
                fromMs);
    }

    @Override
    public void putAll(List<BucketCount> counts) {
        jdbc.write(() -> {
            for (BucketCount c : counts) {
                if (jdbc.update(
                                "UPDATE node_account_sends SET sent = ?"
                                        + " WHERE node = ? AND account_id = ? AND bucket_start_ms = ?",
                                c.sent(),
                                node,
                                c.accountId(),
                                c.bucketStartMs())
                        == 0) {
                    jdbc.update(
                            "INSERT INTO node_account_sends (node, account_id, bucket_start_ms, sent)"
                                    + " VALUES (?, ?, ?, ?)",
                            node,
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
        jdbc.update("DELETE FROM node_account_sends WHERE bucket_start_ms < ?", cutoffMs);
    }
}
