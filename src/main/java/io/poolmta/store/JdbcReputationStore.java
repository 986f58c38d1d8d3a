package io.poolmta.store;

import io.poolmta.reputation.CounterKey;
import io.poolmta.reputation.CounterRow;
import io.poolmta.reputation.Counts;
import io.poolmta.reputation.EnforcementRecord;
import io.poolmta.reputation.Granularity;
import io.poolmta.reputation.ReputationStore;
import io.poolmta.reputation.Scope;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Reputation counters and enforcement records in SQL. Counter rows carry the node that wrote them
 * and when (its clock); on opening, the node adopts the rows written before counters had a node.
 */
public final class JdbcReputationStore implements ReputationStore {
    private static final String COLUMNS =
            "bucket_start_ms, account_id, configuration_set, pool, ip, provider, identity,"
                    + " sent, delivered, delayed, bounced_permanent, bounced_transient, complained, suppressed";

    private final Jdbc jdbc;
    private final String node;
    private final Clock clock;

    public JdbcReputationStore(Jdbc jdbc, String node, Clock clock) {
        if (node.isEmpty()) {
            throw new IllegalArgumentException("a node needs a name");
        }
        this.jdbc = jdbc;
        this.node = node;
        this.clock = clock;
        jdbc.update("UPDATE node_reputation_counter SET node = ? WHERE node = ''", node);
    }

    @Override
    public List<CounterRow> counters(Granularity granularity, Instant since) {
        return jdbc.query(
                "SELECT " + COLUMNS + " FROM node_reputation_counter"
                        + " WHERE node = ? AND granularity = ? AND bucket_start_ms >= ?",
                rs -> row(granularity, rs, 1),
                node,
                code(granularity),
                since.toEpochMilli());
    }

    @Override
    public List<NodeRow> othersCounters(Granularity granularity, Instant since) {
        return jdbc.query(
                "SELECT node, " + COLUMNS + " FROM node_reputation_counter"
                        + " WHERE node <> ? AND granularity = ? AND bucket_start_ms >= ?",
                rs -> new NodeRow(rs.getString(1), row(granularity, rs, 2)),
                node,
                code(granularity),
                since.toEpochMilli());
    }

    @Override
    public List<NodeRow> othersChangedSince(Instant updatedSince) {
        return jdbc.query(
                "SELECT node, granularity, " + COLUMNS + " FROM node_reputation_counter"
                        + " WHERE updated_ms >= ? AND node <> ?",
                rs -> new NodeRow(rs.getString(1), row(granularity(rs.getString(2)), rs, 3)),
                updatedSince.toEpochMilli(),
                node);
    }

    /** The row whose bucket start is at column {@code first}. */
    private static CounterRow row(Granularity granularity, ResultSet rs, int first) throws SQLException {
        return new CounterRow(
                granularity,
                Instant.ofEpochMilli(rs.getLong(first)),
                new CounterKey(
                        rs.getString(first + 1),
                        rs.getString(first + 2),
                        rs.getString(first + 3),
                        rs.getString(first + 4),
                        rs.getString(first + 5),
                        rs.getString(first + 6)),
                new Counts(
                        rs.getLong(first + 7),
                        rs.getLong(first + 8),
                        rs.getLong(first + 9),
                        rs.getLong(first + 10),
                        rs.getLong(first + 11),
                        rs.getLong(first + 12),
                        rs.getLong(first + 13)));
    }

    @Override
    public void saveCounters(Collection<CounterRow> rows) {
        long now = clock.millis();
        jdbc.writeOwnRows(() -> {
            for (CounterRow row : rows) {
                CounterKey k = row.key();
                Counts c = row.counts();
                int updated = jdbc.update(
                        "UPDATE node_reputation_counter SET sent = ?, delivered = ?, delayed = ?,"
                                + " bounced_permanent = ?, bounced_transient = ?, complained = ?, suppressed = ?,"
                                + " updated_ms = ? WHERE node = ? AND granularity = ? AND bucket_start_ms = ?"
                                + " AND account_id = ? AND configuration_set = ? AND pool = ? AND ip = ?"
                                + " AND provider = ? AND identity = ?",
                        c.sent(),
                        c.delivered(),
                        c.delayed(),
                        c.bouncedPermanent(),
                        c.bouncedTransient(),
                        c.complained(),
                        c.suppressed(),
                        now,
                        node,
                        code(row.granularity()),
                        row.start().toEpochMilli(),
                        k.accountId(),
                        k.configurationSet(),
                        k.pool(),
                        k.ip(),
                        k.provider(),
                        k.identity());
                if (updated == 0) {
                    jdbc.update(
                            "INSERT INTO node_reputation_counter (node, granularity, " + COLUMNS + ", updated_ms)"
                                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            node,
                            code(row.granularity()),
                            row.start().toEpochMilli(),
                            k.accountId(),
                            k.configurationSet(),
                            k.pool(),
                            k.ip(),
                            k.provider(),
                            k.identity(),
                            c.sent(),
                            c.delivered(),
                            c.delayed(),
                            c.bouncedPermanent(),
                            c.bouncedTransient(),
                            c.complained(),
                            c.suppressed(),
                            now);
                }
            }
            return null;
        });
    }

    @Override
    public void deleteCountersBefore(Granularity granularity, Instant cutoff) {
        jdbc.update(
                "DELETE FROM node_reputation_counter WHERE granularity = ? AND bucket_start_ms < ?",
                code(granularity),
                cutoff.toEpochMilli());
    }

    @Override
    public List<EnforcementRecord> enforcement() {
        return jdbc.query(
                "SELECT kind, account_id, name, shutdown_since_ms, reason, fresh_start_ms FROM reputation_enforcement",
                rs -> new EnforcementRecord(
                        new Scope(Scope.Kind.valueOf(rs.getString(1)), rs.getString(2), rs.getString(3)),
                        Jdbc.optionalLong(rs, "shutdown_since_ms").map(Instant::ofEpochMilli),
                        rs.getString(5),
                        Jdbc.optionalLong(rs, "fresh_start_ms").map(Instant::ofEpochMilli)));
    }

    @Override
    public void saveEnforcement(EnforcementRecord record) {
        Scope s = record.scope();
        jdbc.update(
                jdbc.dialect()
                        .upsert(
                                "reputation_enforcement",
                                List.of("kind", "account_id", "name"),
                                List.of("kind", "account_id", "name", "shutdown_since_ms", "reason", "fresh_start_ms")),
                s.kind().name(),
                s.accountId(),
                s.name(),
                millis(record.shutdownSince()),
                record.reason().length() > 1000 ? record.reason().substring(0, 1000) : record.reason(),
                millis(record.freshStart()));
    }

    private static Long millis(Optional<Instant> t) {
        return t.map(Instant::toEpochMilli).orElse(null);
    }

    private static String code(Granularity granularity) {
        return granularity == Granularity.HOUR ? "H" : "D";
    }

    private static Granularity granularity(String code) {
        return "H".equals(code) ? Granularity.HOUR : Granularity.DAY;
    }
}
