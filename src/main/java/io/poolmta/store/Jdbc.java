package io.poolmta.store;

import io.poolmta.common.Transactions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Thin JDBC helper and the {@link Transactions} of every JDBC store. Writers take one lock (on
 * PostgreSQL also an advisory lock every node of the cluster takes, except for the flushes of a
 * node's own rows, {@link #writeOwnRows}), so the checks a service makes inside a transaction hold
 * until it commits, whichever node makes them; a nested {@code write} joins
 * the outer transaction. Statements outside a transaction run on their own auto-commit connection.
 *
 * <p>Per table it keeps a generation that moves after every committed write ({@link #generation}),
 * which {@link CommittedSnapshot} caches check. With a shared {@link ChangeFeed} ({@link #attach}),
 * each transaction announces the tables it wrote just before it commits (a write outside a
 * transaction becomes a transaction of its own to do so), and the other processes' announcements
 * move the generations here and run the reloads registered with {@link #onRemoteChange}.
 */
public final class Jdbc implements Transactions {
    /** Maps the current row. */
    @FunctionalInterface
    public interface Row<T> {
        T map(ResultSet rs) throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(Jdbc.class);

    private final DataSource dataSource;
    private final Dialect dialect;
    /** The PostgreSQL advisory lock that makes {@link #write} one at a time across a cluster. */
    static final long CLUSTER_WRITE_LOCK = 0x706f6f6c6d7461L; // "poolmta"

    private final ReentrantLock writeLock = new ReentrantLock();
    private final ThreadLocal<Connection> current = new ThreadLocal<>();
    /** Per table: a number that moves after every committed write to it. */
    private final Map<String, AtomicLong> generations = new ConcurrentHashMap<>();
    /** Tables the current transaction wrote: their generations move when it commits. */
    private final ThreadLocal<Set<String>> written = ThreadLocal.withInitial(HashSet::new);
    /** Tells the other processes on the database what this one changed, and hears theirs. */
    private volatile ChangeFeed feed = ChangeFeed.none();
    /** What to reload when another process changes one of its tables. */
    private final List<Reload> reloads = new CopyOnWriteArrayList<>();

    private record Reload(Set<String> tables, Runnable action) {}

    private static final Pattern WRITTEN_TABLE = Pattern.compile(
            "^\\s*(?:INSERT\\s+INTO|MERGE\\s+INTO|UPDATE|DELETE\\s+FROM|ALTER\\s+TABLE)\\s+(\\w+)",
            Pattern.CASE_INSENSITIVE);

    public Jdbc(DataSource dataSource) {
        this(dataSource, Dialect.H2);
    }

    public Jdbc(DataSource dataSource, Dialect dialect) {
        this.dataSource = dataSource;
        this.dialect = dialect;
    }

    /** The SQL dialect of the database behind this helper. */
    public Dialect dialect() {
        return dialect;
    }

    /**
     * Shares this process's changes through {@code changes} and starts hearing the other processes'.
     * Call once, before serving; the caller closes the feed (before the database).
     */
    public void attach(ChangeFeed changes) {
        this.feed = changes;
        changes.start(new ChangeFeed.Listener() {
            @Override
            public void changed(Set<String> tables) {
                changedElsewhere(tables);
            }

            @Override
            public void everythingChanged() {
                changedElsewhere(null);
            }
        });
    }

    /**
     * Runs {@code reload} (on the change feed's thread) after another process committed a write to
     * one of {@code tables}, or when the feed may have missed one. For in-memory views a service
     * keeps current itself for this process's own changes; never called for those.
     */
    public void onRemoteChange(List<String> tables, Runnable reload) {
        Set<String> names = new HashSet<>();
        tables.forEach(t -> names.add(t.toLowerCase(Locale.ROOT)));
        reloads.add(new Reload(Set.copyOf(names), reload));
    }

    /** How long {@link #catchUp} waits for the change feed at most. */
    static final Duration CATCH_UP_AT_MOST = Duration.ofSeconds(1);

    /**
     * Returns once this process has heard, and reloaded after, every write another process
     * committed before the call ({@link ChangeFeed#catchUp}): a request that follows a write made
     * through another node reads that write here too. One read of the change sequence on a shared
     * database (shared by concurrent callers), and a wait only right after another node's write;
     * nothing on the embedded one.
     */
    public void catchUp() {
        ChangeFeed changes = feed;
        if (!changes.shared() || current.get() != null) {
            return;
        }
        try {
            changes.catchUp(CATCH_UP_AT_MOST);
        } catch (SQLException e) {
            throw new StoreException("cannot catch up with the cluster", e);
        }
    }

    /** Another process committed writes to {@code tables} (null: perhaps to any table). */
    private void changedElsewhere(Set<String> tables) {
        if (tables == null) {
            generations.values().forEach(AtomicLong::incrementAndGet);
        } else {
            tables.forEach(this::bump);
        }
        for (Reload reload : reloads) {
            if (tables == null || !Collections.disjoint(reload.tables(), tables)) {
                try {
                    reload.action().run();
                } catch (RuntimeException e) {
                    LOG.warn("reloading after a change by another node failed ({})", reload.tables(), e);
                }
            }
        }
    }

    @Override
    public <T> T write(Supplier<T> work) {
        return transaction(work, true);
    }

    /**
     * A transaction that writes only rows no other node writes at the same time (this node's own
     * counts, its IPs' volumes, messages it sent) or adds to counters row by row: it skips the
     * cluster-wide lock, so the once-a-second flushes of many nodes never queue behind each other.
     * On the embedded database it is {@link #write}.
     */
    public <T> T writeOwnRows(Supplier<T> work) {
        return transaction(work, false);
    }

    private <T> T transaction(Supplier<T> work, boolean clusterLock) {
        if (current.get() != null) {
            return work.get();
        }
        writeLock.lock();
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            current.set(c);
            try {
                if (clusterLock && dialect == Dialect.POSTGRESQL) {
                    // the write lock across every node sharing the database, held to commit or rollback
                    try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(?)")) {
                        lock.setLong(1, CLUSTER_WRITE_LOCK);
                        lock.execute();
                    }
                }
                T result = work.get();
                announce(c, written.get());
                c.commit();
                written.get().forEach(this::bump);
                return result;
            } catch (RuntimeException | Error e) {
                c.rollback();
                throw e;
            } finally {
                written.remove();
                current.remove();
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("transaction failed", e);
        } finally {
            writeLock.unlock();
        }
    }

    public <T> List<T> query(String sql, Row<T> row, Object... params) {
        return withConnection(c -> {
            try (PreparedStatement ps = prepare(c, sql, params);
                    ResultSet rs = ps.executeQuery()) {
                List<T> out = new ArrayList<>();
                while (rs.next()) {
                    out.add(row.map(rs));
                }
                return out;
            }
        });
    }

    public <T> Optional<T> queryOne(String sql, Row<T> row, Object... params) {
        List<T> rows = query(sql, row, params);
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.getFirst());
    }

    public int update(String sql, Object... params) {
        String name = writtenTable(sql);
        if (name != null && current.get() == null && announced(name)) {
            return write(() -> update(sql, params)); // the announcement must travel with a commit
        }
        int changed = withConnection(c -> {
            try (PreparedStatement ps = prepare(c, sql, params)) {
                return ps.executeUpdate();
            }
        });
        noteWritten(name);
        return changed;
    }

    /**
     * Runs {@code sql} once for each row of parameters, as one JDBC batch on one prepared
     * statement: many rows of one shape (a ledger flush) without preparing the statement, and on
     * PostgreSQL without a round trip, per row.
     */
    public void updateBatch(String sql, List<Object[]> rows) {
        if (rows.isEmpty()) {
            return;
        }
        String name = writtenTable(sql);
        if (name != null && current.get() == null && announced(name)) {
            write(() -> {
                updateBatch(sql, rows);
                return null;
            });
            return;
        }
        withConnection(c -> {
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (Object[] params : rows) {
                    bind(ps, params);
                    ps.addBatch();
                }
                return ps.executeBatch();
            }
        });
        noteWritten(name);
    }

    private static String writtenTable(String sql) {
        Matcher table = WRITTEN_TABLE.matcher(sql);
        return table.find() ? table.group(1).toLowerCase(Locale.ROOT) : null;
    }

    private void noteWritten(String table) {
        if (table != null) {
            if (current.get() == null) {
                bump(table);
            } else {
                written.get().add(table);
            }
        }
    }

    /**
     * A number that moves after every committed write to one of {@code tables}: a cache built at
     * one value is current while the value has not moved.
     */
    public long generation(List<String> tables) {
        long sum = 0;
        for (String table : tables) {
            sum += generations.computeIfAbsent(table, t -> new AtomicLong()).get();
        }
        return sum;
    }

    private boolean announced(String table) {
        return feed.shared() && !ChangeFeed.UNANNOUNCED.contains(table);
    }

    /** Announces the written tables on the transaction's connection, just before it commits. */
    private void announce(Connection c, Set<String> tables) {
        if (!feed.shared()) {
            return;
        }
        Set<String> announced = new HashSet<>(tables);
        announced.removeAll(ChangeFeed.UNANNOUNCED);
        if (announced.isEmpty()) {
            return;
        }
        try {
            feed.announce(c, announced);
        } catch (SQLException e) {
            throw new StoreException("could not announce the change to the other nodes", e);
        }
    }

    private void bump(String table) {
        generations.computeIfAbsent(table, t -> new AtomicLong()).incrementAndGet();
    }

    /** Whether the calling thread is inside {@link #write}: it must read its own uncommitted changes. */
    public boolean inTransaction() {
        return current.get() != null;
    }

    @FunctionalInterface
    private interface Work<T> {
        T run(Connection c) throws SQLException;
    }

    private <T> T withConnection(Work<T> work) {
        Connection inTx = current.get();
        try {
            if (inTx != null) {
                return work.run(inTx);
            }
            try (Connection c = dataSource.getConnection()) {
                return work.run(c);
            }
        } catch (SQLException e) {
            throw new StoreException("database statement failed", e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, Object... params) throws SQLException {
        PreparedStatement ps = c.prepareStatement(sql);
        bind(ps, params);
        return ps;
    }

    private static void bind(PreparedStatement ps, Object[] params) throws SQLException {
        for (int i = 0; i < params.length; i++) {
            ps.setObject(i + 1, params[i]);
        }
    }

    /** A nullable column as an Optional. */
    public static Optional<String> optionalString(ResultSet rs, String column) throws SQLException {
        return Optional.ofNullable(rs.getString(column));
    }

    public static Optional<Long> optionalLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? Optional.empty() : Optional.of(value);
    }
}
