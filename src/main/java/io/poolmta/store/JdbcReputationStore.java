package io.poolmta.store;

import io.poolmta.reputation.CounterKey;
import io.poolmta.reputation.CounterRow;
import io.poolmta.reputation.Counts;
import io.poolmta.reputation.EnforcementRecord;
import io.poolmta.reputation.Granularity;
import io.poolmta.reputation.ReputationStore;
import io.poolmta.reputation.Scope;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** Reputation counters and enforcement records in SQL. */
public final class JdbcReputationStore implements ReputationStore {
    private final Jdbc jdbc;
    private final String upsertCounter;

    public JdbcReputationStore(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.upsertCounter = jdbc.dialect()
                .upsert(
                        "reputation_counter",
                        List.of(
                                "granularity",
                                "bucket_start_ms",
                                "account_id",
                                "configuration_set",
                                "pool",
                                "ip",
                                "provider",
                                "identity"),
                        List.of(
                                "granularity",
                                "bucket_start_ms",
                                "account_id",
                                "configuration_set",
                                "pool",
                                "ip",
                                "provider",
                                "identity",
                                "sent",
                                "delivered",
                                "delayed",
                                "bounced_permanent",
                                "bounced_transient",
                                "complained",
                                "suppressed"));
    }

    @Override
    public List<CounterRow> counters(Granularity granularity, Instant since) {
        return jdbc.query(
                "SELECT bucket_start_ms, account_id, configuration_set, pool, ip, provider, identity, sent, delivered,"
                        + " delayed, bounced_permanent, bounced_transient, complained, suppressed"
                        + " FROM reputation_counter WHERE granularity = ? AND bucket_start_ms >= ?",
                rs -> new CounterRow(
                        granularity,
                        Instant.ofEpochMilli(rs.getLong(1)),
                        new CounterKey(
                                rs.getString(2),
                                rs.getString(3),
                                rs.getString(4),
                                rs.getString(5),
                                rs.getString(6),
                                rs.getString(7)),
                        new Counts(
                                rs.getLong(8),
                                rs.getLong(9),
                                rs.getLong(10),
                                rs.getLong(11),
                                rs.getLong(12),
                                rs.getLong(13),
                                rs.getLong(14))),
                code(granularity),
                since.toEpochMilli());
    }

    @Override
    public void saveCounters(Collection<CounterRow> rows) {
        jdbc.write(() -> {
            for (CounterRow row : rows) {
                CounterKey k = row.key();
                Counts c = row.counts();
                jdbc.update(
                        upsertCounter,
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
                        c.suppressed());
            }
            return null;
        });
    }

    @Override
    public void deleteCountersBefore(Granularity granularity, Instant cutoff) {
        jdbc.update(
                "DELETE FROM reputation_counter WHERE granularity = ? AND bucket_start_ms < ?",
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
}
