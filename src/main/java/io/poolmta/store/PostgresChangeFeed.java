package io.poolmta.store;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
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
 * <p>{@link #catchUp} sends a marker, a number, on a channel only this process listens to
 * ({@value #MARKER_CHANNEL_PREFIX} and a random suffix), so the other nodes never receive it;
 * PostgreSQL still delivers it after every notification committed before it, whatever the channel.
 * The listening thread releases the callers waiting for a marker once it has reported everything
 * heard up to it (and, on listening again, every marker sent before it reported everything). One
 * marker is in flight at a time: callers that come while it is on its way wait for the next one,
 * which they share, so markers per second are bounded by the round trip, not by requests.
 */
final class PostgresChangeFeed implements ChangeFeed {
    static final String CHANNEL = "poolmta_changes";
    static final String EVERYTHING = "*";
    static final String MARKER_CHANNEL_PREFIX = "poolmta_marker_";
    /** PostgreSQL refuses a payload of 8000 bytes or more. */
    static final int MAX_PAYLOAD_BYTES = 7999;

    private static final Logger LOG = LoggerFactory.getLogger(PostgresChangeFeed.class);
    private static final Duration WAIT = Duration.ofMillis(500);
    private static final Duration CHECK_AFTER = Duration.ofSeconds(10);
    private static final Duration FIRST_PAUSE = Duration.ofMillis(200);
    private static final Duration MAX_PAUSE = Duration.ofSeconds(5);

    private final DataSource dataSource;
    private final String origin;
    private final String markerChannel = MARKER_CHANNEL_PREFIX
            + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    private volatile boolean closed;
    private volatile boolean listening;
    private volatile int connections;
    private Thread thread;
    /** The last marker sent by {@link #catchUp}, and the last one the listening thread passed. */
    private final AtomicLong markersSent = new AtomicLong();

    private long markersPassed;

    /** Guards the marker in flight: whether one is being sent, and when the last send began. */
    private final Object sending = new Object();

    private boolean inFlight;
    private long lastSendStartedNanos = Long.MIN_VALUE;
    private long lastSendMarker;
    private final AtomicLong markerStatements = new AtomicLong();

    PostgresChangeFeed(DataSource dataSource, String nodeName) {
        this.dataSource = dataSource;
        this.origin = nodeName.replaceAll("[\\s,]", "_") + "/"
                + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
    }

    @Override
    public boolean shared() {
        return true;
    }

    @Override
    public void announce(Connection c, Set<String> tables) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            ps.setString(1, CHANNEL);
            ps.setString(2, payload(tables));
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
        long marker;
        boolean send = false;
        synchronized (sending) {
            while (true) {
                if (lastSendStartedNanos - came >= 0 && lastSendMarker > 0) {
                    marker = lastSendMarker; // a marker sent after this call came: share it
                    break;
                }
                if (!inFlight) {
                    inFlight = true;
                    send = true;
                    lastSendStartedNanos = System.nanoTime();
                    marker = markersSent.incrementAndGet();
                    lastSendMarker = marker;
                    break;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                try {
                    sending.wait(Math.max(1, left / 1_000_000)); // the marker on its way left before we came
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        if (send) {
            try (Connection c = dataSource.getConnection();
                    PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
                c.setAutoCommit(true);
                ps.setString(1, markerChannel);
                ps.setString(2, Long.toString(marker));
                ps.execute();
                markerStatements.incrementAndGet();
            } finally {
                synchronized (sending) {
                    inFlight = false;
                    sending.notifyAll();
                }
            }
        }
        synchronized (markersSent) {
            long left;
            while (markersPassed < marker && (left = deadline - System.nanoTime()) > 0) {
                try {
                    markersSent.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** How many markers this process has sent so far. */
    long markersSent() {
        return markerStatements.get();
    }

    /** The channel this process's markers travel on. */
    String markerChannel() {
        return markerChannel;
    }

    /** The callers waiting for markers up to {@code marker} may go on. */
    private void pass(long marker) {
        synchronized (markersSent) {
            if (marker > markersPassed) {
                markersPassed = marker;
                markersSent.notifyAll();
            }
        }
    }

    String payload(Set<String> tables) {
        String names = String.join(",", new TreeSet<>(tables));
        String payload = origin + "\n" + names;
        if (payload.getBytes(StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
            return origin + "\n" + EVERYTHING;
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
                    s.execute("LISTEN " + markerChannel);
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                connections++;
                pause = FIRST_PAUSE;
                long sent = markersSent.get();
                report(listener, null); // whatever was committed before this LISTEN went unheard
                pass(sent);
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
        long marker = 0;
        for (PGNotification n : notifications) {
            String payload = n.getParameter();
            if (n.getName().equals(markerChannel)) {
                marker = Math.max(marker, Long.parseLong(payload));
                continue;
            }
            int newline = payload.indexOf('\n');
            if (newline < 0) {
                continue;
            }
            String names = payload.substring(newline + 1);
            if (payload.substring(0, newline).equals(origin)) {
                continue;
            }
            if (names.equals(EVERYTHING)) {
                everything = true;
                continue;
            }
            for (String name : names.split(",")) {
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
        if (marker > 0) {
            pass(marker);
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
