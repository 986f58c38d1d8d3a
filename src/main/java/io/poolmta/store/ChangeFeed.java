package io.poolmta.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Set;
import javax.sql.DataSource;

/**
 * How the processes sharing one database learn which tables the others changed, so that each
 * keeps its in-memory views current. {@link Jdbc} calls {@link #announce} on the writing connection
 * just before a transaction commits, with the tables it wrote (less {@link #UNANNOUNCED}), and
 * hears the other processes' announcements through the {@link Listener} it gives {@link #start}.
 * An announcement reaches the others only if, and after, its transaction commits. Whenever the
 * feed may have missed announcements (its first connection, a reconnection), it tells the listener
 * that everything changed. {@link #none()} is the feed of a database only one process uses (the
 * embedded H2); {@link #postgres} uses PostgreSQL's LISTEN/NOTIFY.
 */
public interface ChangeFeed extends AutoCloseable {
    /**
     * Tables written on the path of every message or by the once-a-second flushes, which no process
     * keeps in memory from the database: announcing them would cost a statement per flush and wake
     * every other process for nothing. Account send counts, IP and provider warm-up volumes, daily
     * volumes, reputation counters, the sent-message ledger, import job progress and one-time
     * verification tokens.
     */
    Set<String> UNANNOUNCED = Set.of(
            "node_account_sends",
            "ip_volume",
            "ip_provider_warmup",
            "daily_volume",
            "node_reputation_counter",
            "nodes",
            "cluster_leases",
            "managed_demand",
            "sent_messages",
            "sent_recipients",
            "suppression_import_jobs",
            "email_verification_tokens");

    /** What a feed reports: changes committed by other processes. Called on the feed's own thread. */
    interface Listener {
        /** Another process committed writes to these tables (lower case). */
        void changed(Set<String> tables);

        /** Announcements may have been missed: every table counts as changed. */
        void everythingChanged();
    }

    /** Whether other processes share the database, so that writes are worth announcing. */
    boolean shared();

    /** Announces, inside the transaction on {@code c}, that it wrote {@code tables}; sent on commit only. */
    void announce(Connection c, Set<String> tables) throws SQLException;

    /**
     * Returns once this process has heard, and acted on, every announcement committed before the
     * call, so that what it reads next is at least as new as any commit it could know of (a write a
     * client just made through another node): it reads the change sequence, which every announcing
     * commit moves, and waits until it has heard announcements up to that value (at once unless
     * another node wrote just before). Concurrent callers share reads: a caller uses the first read
     * that began after it came, so a busy node reads at most once per round trip, however many
     * requests it answers. Returns after {@code atMost} at the latest, and at once when the feed is not
     * listening (it reports everything changed when it listens again). Nothing to wait for on a
     * database no other process uses.
     */
    default void catchUp(Duration atMost) throws SQLException {}

    /** Starts hearing the other processes; at most once. */
    void start(Listener listener);

    /** Stops hearing; safe to call twice. */
    @Override
    void close();

    /** The feed of a database no other process uses: announces nothing, hears nothing. */
    static ChangeFeed none() {
        return NoChangeFeed.INSTANCE;
    }

    /**
     * PostgreSQL's LISTEN/NOTIFY on channel {@value PostgresChangeFeed#CHANNEL}: one connection from
     * {@code listenOn} is kept for listening (reopened when it drops); catch-ups read the change
     * sequence through {@code pooled}; {@code nodeName} names this process in the announcements.
     */
    static ChangeFeed postgres(DataSource listenOn, DataSource pooled, String nodeName) {
        return new PostgresChangeFeed(listenOn, pooled, nodeName);
    }
}
