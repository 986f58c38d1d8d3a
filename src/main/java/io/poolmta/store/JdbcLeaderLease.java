package io.poolmta.store;

import io.poolmta.common.Leadership;
import java.time.Clock;
import java.time.Duration;

/**
 * {@link Leadership} by a lease row per task in the shared database: a node holds the task while
 * its lease has not expired and renews it each time it asks; another node takes it over once it
 * has expired. A node that stops asking (stopped, lost) gives the task up after one lease period.
 */
public final class JdbcLeaderLease implements Leadership {
    private final Jdbc jdbc;
    private final String node;
    private final Duration lease;
    private final Clock clock;

    public JdbcLeaderLease(Jdbc jdbc, String node, Duration lease, Clock clock) {
        this.jdbc = jdbc;
        this.node = node;
        this.lease = lease;
        this.clock = clock;
    }

    @Override
    public boolean holds(String task) {
        long now = clock.millis();
        long until = now + lease.toMillis();
        try {
            return jdbc.write(() -> {
                int renewed = jdbc.update(
                        "UPDATE cluster_leases SET holder = ?, expires_ms = ?"
                                + " WHERE task = ? AND (holder = ? OR expires_ms < ?)",
                        node,
                        until,
                        task,
                        node,
                        now);
                if (renewed == 1) {
                    return true;
                }
                if (jdbc.queryOne("SELECT holder FROM cluster_leases WHERE task = ?", rs -> rs.getString(1), task)
                        .isPresent()) {
                    return false; // another node holds it
                }
                jdbc.update(
                        "INSERT INTO cluster_leases (task, holder, expires_ms) VALUES (?, ?, ?)", task, node, until);
                return true;
            });
        } catch (StoreException e) {
            return false; // another node inserted the row first: it holds the task
        }
    }
}
