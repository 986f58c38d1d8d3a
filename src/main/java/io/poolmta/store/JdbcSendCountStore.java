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
    public List<NodeCount> othersSince(long fromMs) {
        return jdbc.query(
                "SELECT node, account_id, bucket_start_ms, sent FROM node_account_sends"
                        + " WHERE node <> ? AND bucket_start_ms >= ?",
                rs -> new NodeCount(rs.getString(1), new BucketCount(rs.getString(2), rs.getLong(3), rs.getLong(4))),
                node,
                fromMs);
    }

    @Override
    public List<NodeCount> othersChangedSince(long updatedSinceMs) {
        return jdbc.query(
                "SELECT node, account_id, bucket_start_ms, sent FROM node_account_sends"
                        + " WHERE updated_ms >= ? AND node <> ?",
                rs -> new NodeCount(rs.getString(1), new BucketCount(rs.getString(2), rs.getLong(3), rs.getLong(4))),
                updatedSinceMs,
                node);
    }

    @Override
    public void putAll(List<BucketCount> counts, long nowMs) {
        jdbc.writeOwnRows(() -> {
            for (BucketCount c : counts) {
                if (jdbc.update(
                                "UPDATE node_account_sends SET sent = ?, updated_ms = ?"
                                        + " WHERE node = ? AND account_id = ? AND bucket_start_ms = ?",
                                c.sent(),
                                nowMs,
                                node,
                                c.accountId(),
                                c.bucketStartMs())
                        == 0) {
                    jdbc.update(
                            "INSERT INTO node_account_sends (node, account_id, bucket_start_ms, sent, updated_ms)"
                                    + " VALUES (?, ?, ?, ?, ?)",
                            node,
                            c.accountId(),
                            c.bucketStartMs(),
                            c.sent(),
                            nowMs);
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
