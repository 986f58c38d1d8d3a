package io.poolmta.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The change feed on PostgreSQL. An announcement is {@code pg_notify} on channel {@value #CHANNEL}
 * inside the writing transaction, so PostgreSQL delivers it on commit and drops it on rollback; its
 * payload is this process's origin (the node name and a random suffix, so two processes never take
 * each other's changes for their own), a newline, and the table names separated by commas, or
 * {@value #EVERYTHING} when the names would not fit PostgreSQL's 8000-byte payload limit.
 *
 * <p>One connection per process listens, on a virtual thread: it waits for notifications at most
 * {@link #WAIT} at a time, checks that the connection is alive after {@link #CHECK_AFTER} of quiet,
 * and on any failure reconnects with a growing pause (up to {@link #MAX_PAUSE}). Each time it starts
 * listening, first or again, it reports that everything changed: announcements made while it was not
 * listening are lost. Its own announcements are skipped.
 *
 * <p>Each announcing transaction also moves the cluster's change sequence (table
 * {@code change_sequence}: its row lock orders those commits, and PostgreSQL delivers notifications
 * in commit order) and carries the new value in its payload, so the listening thread knows how far
 * it has heard. {@link #catchUp} reads the sequence (one read on a pooled connection, no write) and
 * waits only when it has not heard that far yet, which happens only right after another node's
 * write. One read is in flight at a time: callers that come while it travels share the next one.
 */
final class PostgresChangeFeed implements ChangeFeed {
    static final String CHANNEL = "poolmta_changes";
    static final String EVERYTHING = "*";
    /** PostgreSQL refuses a payload of 8000 bytes or more. */
    static final int MAX_PAYLOAD_BYTES = 7999;

    private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeFeed.class);
    private static final Duration WAIT = Duration.ofMillis(500);
    private static final Duration CHECK_AFTER = Duration.ofSeconds(10);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    private final DataSource dataSource;
    private final DataSource pooled;
    private final String origin;
    private volatile boolean closed;
    private volatile boolean listening;
    private volatile int connections;
    private Thread thread;
    /** The highest change sequence value the listening thread has reported. */
    private long heard;

    /** Guards the sequence read in flight: whether one is running, and when the last one began. */
    private final Object reading = new Object();

    private boolean inFlight;
    private long lastReadStartedNanos;
    private long lastReadValue = -1;
    private final AtomicLong reads = new AtomicLong();

    /**
     * @param dataSource where the listening connection comes from (kept open, outside any pool)
     * @param pooled the node's connection pool, for reading the change sequence
     */
    PostgresChangeFeed(DataSource dataSource, DataSource pooled, String nodeName) {
        this.dataSource = dataSource;
        this.pooled = pooled;
        this.origin = nodeName.replaceAll("[\\s,]", "_") + "/"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public void announce(Connection c, Set<String> tables) throws SQLException {
        long seq;
        try (PreparedStatement ps =
                        c.prepareStatement("UPDATE change_sequence SET seq = seq + 1 WHERE id = 1 RETURNING seq");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the change_sequence row is missing");
            }
            seq = rs.getLong(1);
        }
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, CHANNEL);
            ps.setString(2, payload(seq, tables));
            ps.execute();
        }
    }

    @Override
    public void catchUp(Duration atMost) throws SQLException {
        if (!listening) {
            return;
        }
        long came = System.nanoTime();
        long deadline = came + atMost.toNanos();
        long target;
        boolean read = false;
        synchronized (reading) {
            while (true) {
                if (lastReadValue >= 0 && lastReadStartedNanos - came >= 0) {
                    target = lastReadValue; // a read that began after this call came: share it
                    break;
                }
                if (!inFlight) {
                    inFlight = true;
                    read = true;
                    target = -1;
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    reading.wait(Math.max(1, left / 1_000_000)); // the read on its way began before we came
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        if (read) {
            long started = System.nanoTime();
            try {
                target = readSequence();
            } finally {
                synchronized (reading) {
                    inFlight = false;
                    if (target >= 0) {
                        lastReadStartedNanos = started;
                        lastReadValue = target;
                    }
                    reading.notifyAll();
                }
            }
        }
        synchronized (this) {
            long left;
            while (heard < target && (left = deadline - System.nanoTime()) > 0) {
                try {
                    wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private long readSequence() throws SQLException {
        reads.incrementAndGet();
        try (Connection c = pooled.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT seq FROM change_sequence WHERE id = 1");
                ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("the change_sequence row is missing");
            }
            return rs.getLong(1);
        }
    }

    /** How many times this process has read the change sequence to catch up. */
    long sequenceReads() {
        return reads.get();
    }

    /** The callers waiting for the sequence up to {@code seq} may go on. */
    private synchronized void heardUpTo(long seq) {
        if (seq > heard) {
            heard = seq;
            notifyAll();
        }
    }

    /** Origin, sequence value and table names, a line each; {@value #EVERYTHING} when too long. */
    String payload(long seq, Set<String> tables) {
        String names = String.join(",", new TreeSet<>(tables));
        String head = origin + "\n" + seq + "\n";
        String payload = head + names;
        if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            return head + EVERYTHING;
        }
        return payload;
    }

    @Override
    public synchronized void start(Listener listener) {
        if (thread != null) {
            throw new IllegalStateException("the change feed is already started");
        }
        thread = Thread.ofVirtual().name("change-feed").start(() -> run(listener));
    }

    /** Whether the listening connection is up (its LISTEN done). */
    boolean listening() {
        return listening;
    }

    /** How many listening connections were opened so far. */
    int connections() {
        return connections;
    }

    String origin() {
        return origin;
    }

    private void run(Listener listener) {
        Duration pause = FIRST_PAUSE;
        while (!closed) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(true);
                try (Statement s = c.createStatement()) {
                    s.execute("LISTEN " + CHANNEL);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                connections++;
                pause = FIRST_PAUSE;
                long now = sequence(c); // read after the LISTEN: every later commit will be heard
                report(listener, null); // whatever was committed before this LISTEN went unheard
                heardUpTo(now);
                listening = true;
                listen(c, pg, listener);
            } catch (SQLException | RuntimeException e) {
                if (closed) {
                    break;
                }
                LOG.warn(
                        "change feed: listening connection lost ({}); reconnecting in {} ms",
                        e.getMessage(),
                        pause.toMillis());
            } finally {
                listening = false;
            }
            sleep(pause);
            pause = pause.multipliedBy(2).compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : pause.multipliedBy(2);
        }
    }

    private void listen(Connection c, PGConnection pg, Listener listener) throws SQLException {
        long quietSince = System.nanoTime();
        while (!closed) {
            PGNotification[] got = pg.getNotifications((int) WAIT.toMillis());
            if (got != null && got.length > 0) {
                quietSince = System.nanoTime();
                deliver(got, listener);
            } else if (System.nanoTime() - quietSince > CHECK_AFTER.toNanos()) {
                if (!c.isValid((int) CHECK_AFTER.toSeconds())) {
                    throw new SQLException("the listening connection does not answer");
                }
                quietSince = System.nanoTime();
            }
        }
    }

    private void deliver(PGNotification[] notifications, Listener listener) {
        Set<String> tables = new HashSet<>();
        boolean everything = false;
        long seq = 0;
        for (PGNotification n : notifications) {
            String[] lines = n.getParameter().split("\n", 3);
            if (lines.length < 3) {
                continue;
            }
            try {
                seq = Math.max(seq, Long.parseLong(lines[1]));
            } catch (NumberFormatException e) {
                continue; // not an announcement of this version
            }
            if (lines[0].equals(origin)) {
                continue; // this node's own commit: its caches moved at the commit
            }
            if (lines[2].equals(EVERYTHING)) {
                everything = true;
                continue;
            }
            for (String name : lines[2].split(",")) {
                if (!name.isEmpty()) {
                    tables.add(name);
                }
            }
        }
        if (everything) {
            report(listener, null);
        } else if (!tables.isEmpty()) {
            report(listener, tables);
        }
        if (seq > 0) {
            heardUpTo(seq);
        }
    }

    private static long sequence(Connection c) throws SQLException {
        try (Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT seq FROM change_sequence WHERE id = 1")) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Tells the listener; {@code tables} null means everything. A listener's failure is logged. */
    private static void report(Listener listener, Set<String> tables) {
        try {
            if (tables == null) {
                listener.everythingChanged();
            } else {
                listener.changed(Set.copyOf(tables));
            }
        } catch (RuntimeException e) {
            LOG.warn("change feed: a listener failed", e);
        }
    }

    private void sleep(Duration pause) {
        try {
            Thread.sleep(pause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }

    @Override
    public void close() {
        Thread running;
        synchronized (this) {
            closed = true;
            running = thread;
        }
        if (running != null) {
            running.interrupt(); // out of a pause between reconnections, or of the wait
            try {
                running.join(WAIT.multipliedBy(4));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
