package io.poolmta.store;

import io.poolmta.ip.NodeRecord;
import io.poolmta.ip.NodeStore;
import java.time.Instant;
import java.util.List;

/** The node table in SQL: one row per node, written at start and by its heartbeat. */
public final class JdbcNodeStore implements NodeStore {
    private final Jdbc jdbc;

    public JdbcNodeStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void register(NodeRecord node) {
        jdbc.update(
                jdbc.dialect()
                        .upsert(
                                "nodes",
                                List.of("node_name"),
                                List.of(
                                        "node_name",
                                        "api_address",
                                        "smtp_address",
                                        "link_address",
                                        "started_at_ms",
                                        "heartbeat_ms")),
                node.name(),
                node.apiAddress(),
                node.smtpAddress(),
                node.linkAddress().orElse(null),
                node.startedAt().toEpochMilli(),
                node.heartbeat().toEpochMilli());
    }

    @Override
    public void heartbeat(String name, Instant at) {
        jdbc.update("UPDATE nodes SET heartbeat_ms = ? WHERE node_name = ?", at.toEpochMilli(), name);
    }

    @Override
    public void removeAllBut(String name) {
        jdbc.update("DELETE FROM nodes WHERE node_name <> ?", name);
    }

    @Override
    public List<NodeRecord> all() {
        return jdbc.query(
                "SELECT node_name, api_address, smtp_address, link_address, started_at_ms, heartbeat_ms FROM nodes"
                        + " ORDER BY node_name",
                rs -> new NodeRecord(
                        rs.getString("node_name"),
                        rs.getString("api_address"),
                        rs.getString("smtp_address"),
                        Jdbc.optionalString(rs, "link_address"),
                        Instant.ofEpochMilli(rs.getLong("started_at_ms")),
                        Instant.ofEpochMilli(rs.getLong("heartbeat_ms"))));
    }
}
