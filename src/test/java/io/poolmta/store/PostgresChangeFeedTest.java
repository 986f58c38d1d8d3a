package io.poolmta.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.poolmta.nexthop.StaticRoute;
import io.poolmta.pool.DedicatedIpPool;
import io.poolmta.pool.ScalingMode;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Two "nodes" (two {@link Jdbc}s on two data sources, each with its own PostgreSQL change feed) on
 * one real PostgreSQL: what one commits, the other's snapshots and reloads see within a second,
 * never before the commit, never for a rollback; and a listening connection that drops and comes
 * back makes everything count as changed.
 */
class PostgresChangeFeedTest {
    private static final Duration VISIBLE = Duration.ofSeconds(1);
    private static EmbeddedPostgres postgres;

    private Jdbc a;
    private Jdbc b;
    private PostgresChangeFeed feedA;
    private PostgresChangeFeed feedB;
    /** Node B's listening connection opens only while this is true. */
    private final AtomicBoolean bMayListen = new AtomicBoolean(true);

    @BeforeAll
    static void startPostgres() throws IOException {
        postgres = EmbeddedPostgres.start();
    }

    @AfterAll
    static void stopPostgres() throws IOException {
        postgres.close();
    }

    @BeforeEach
    void twoNodes() throws SQLException {
        try (Connection c = dataSource("setup").getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS ip_pools, static_routes, change_sequence");
            s.execute("CREATE TABLE change_sequence (id INTEGER NOT NULL PRIMARY KEY, seq BIGINT NOT NULL)");
            s.execute("INSERT INTO change_sequence (id, seq) VALUES (1, 0)");
            s.execute("CREATE TABLE ip_pools (account_id VARCHAR(12) NOT NULL, pool_name VARCHAR(64) NOT NULL,"
                    + " scaling_mode VARCHAR(16) NOT NULL, created_at_ms BIGINT NOT NULL,"
                    + " PRIMARY KEY (account_id, pool_name))");
            s.execute("CREATE TABLE static_routes (route_domain VARCHAR(253) PRIMARY KEY,"
                    + " next_host VARCHAR(253) NOT NULL, next_port INTEGER NOT NULL)");
        }
        a = new Jdbc(dataSource("node-a"));
        b = new Jdbc(dataSource("node-b"));
        feedA = new PostgresChangeFeed(dataSource("node-a-listen"), dataSource("node-a"), "node-a");
        feedB = new PostgresChangeFeed(
                new Switched(dataSource("node-b-listen"), bMayListen), dataSource("node-b"), "node-b");
        a.attach(feedA);
        b.attach(feedB);
        await().atMost(Duration.ofSeconds(10)).until(() -> feedA.listening() && feedB.listening());
    }

    @AfterEach
    void stopNodes() {
        feedA.close();
        feedB.close();
    }

    @Test
    void aPoolCreatedOnOneNodeIsVisibleOnTheOtherWithinASecond() {
        JdbcPoolStore poolsA = new JdbcPoolStore(a);
        JdbcPoolStore poolsB = new JdbcPoolStore(b);
        assertThat(poolsB.ofAccount("111111111111")).isEmpty(); // B's snapshot is loaded, and now cached

        Instant committed = a.write(() -> {
            poolsA.insert(pool("bulk"));
            return Instant.now();
        });

        await().atMost(VISIBLE).until(() -> poolsB.get("111111111111", "bulk").isPresent());
        assertThat(Duration.between(committed, Instant.now())).isLessThan(VISIBLE);
        assertThat(poolsB.ofAccount("111111111111"))
                .extracting(DedicatedIpPool::name)
                .containsExactly("bulk");
    }

    @Test
    void aCatchUpReturnsOnlyOnceEveryEarlierWriteOfTheOtherNodeIsHeard() {
        JdbcPoolStore poolsA = new JdbcPoolStore(a);
        JdbcPoolStore poolsB = new JdbcPoolStore(b);
        for (int i = 0; i < 20; i++) {
            assertThat(poolsB.ofAccount("111111111111")).hasSize(i); // B's snapshot is cached
            String name = "pool-" + i;
            a.write(() -> {
                poolsA.insert(pool(name));
                return null;
            });

            b.catchUp();

            assertThat(poolsB.get("111111111111", name))
                    .as("read at B right after its catch-up")
                    .isPresent();
        }
    }

    @Test
    void concurrentCatchUpsShareReadsAndNotifyNoOtherNode() throws Exception {
        int callers = 64;
        try (Connection other = dataSource("other-node").getConnection();
                Statement s = other.createStatement()) {
            s.execute("LISTEN " + PostgresChangeFeed.CHANNEL);
            PGConnection pg = other.unwrap(PGConnection.class);
            long before = feedB.sequenceReads();
            List<Thread> threads = new ArrayList<>();
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            for (int i = 0; i < callers; i++) {
                threads.add(Thread.ofPlatform().start(() -> {
                    for (int round = 0; round < 5; round++) {
                        try {
                            b.catchUp();
                        } catch (RuntimeException e) {
                            failures.add(e);
                        }
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
            long sent = feedB.sequenceReads() - before;

            assertThat(failures).isEmpty();
            assertThat(sent)
                    .as("sequence reads for %d catch-ups", callers * 5)
                    .isPositive()
                    .isLessThan(callers * 5 / 2);
            assertThat(pg.getNotifications(200))
                    .as("what a node listening on the shared channel received")
                    .isNullOrEmpty();
        }
    }

    @Test
    void aWriteOutsideATransactionIsAnnouncedToo() {
        JdbcPoolStore poolsA = new JdbcPoolStore(a);
        JdbcPoolStore poolsB = new JdbcPoolStore(b);
        a.write(() -> {
            poolsA.insert(pool("bulk"));
            return null;
        });
        await().atMost(VISIBLE).until(() -> poolsB.get("111111111111", "bulk").isPresent());

        poolsA.delete("111111111111", "bulk"); // an auto-commit statement

        await().atMost(VISIBLE).until(() -> poolsB.get("111111111111", "bulk").isEmpty());
    }

    @Test
    void nothingIsSeenBeforeTheCommit() throws InterruptedException {
        JdbcPoolStore poolsA = new JdbcPoolStore(a);
        JdbcRouteStore routesB = new JdbcRouteStore(b);
        JdbcRouteStore routesA = new JdbcRouteStore(a);
        List<Set<String>> heard = new CopyOnWriteArrayList<>();
        b.onRemoteChange(List.of("ip_pools", "static_routes"), () -> heard.add(Set.of("reload")));
        assertThat(routesB.all()).isEmpty();
        long before = b.generation(List.of("static_routes"));

        a.write(() -> {
            routesA.put(new StaticRoute("example.com", "127.0.0.1", 2525));
            poolsA.insert(pool("bulk"));
            sleep(Duration.ofMillis(700)); // written, not committed: B hears and sees nothing
            assertThat(heard).isEmpty();
            assertThat(b.generation(List.of("static_routes"))).isEqualTo(before);
            assertThat(routesB.all()).isEmpty();
            return null;
        });

        await().atMost(VISIBLE).until(() -> routesB.get("example.com").isPresent());
        assertThat(heard).hasSize(1); // one announcement for the transaction, both tables in it
    }

    @Test
    void aRollbackAnnouncesNothing() {
        JdbcPoolStore poolsA = new JdbcPoolStore(a);
        JdbcRouteStore routesA = new JdbcRouteStore(a);
        JdbcRouteStore routesB = new JdbcRouteStore(b);
        AtomicInteger poolReloads = new AtomicInteger();
        AtomicInteger routeReloads = new AtomicInteger();
        b.onRemoteChange(List.of("ip_pools"), poolReloads::incrementAndGet);
        b.onRemoteChange(List.of("static_routes"), routeReloads::incrementAndGet);
        long poolGeneration = b.generation(List.of("ip_pools"));

        assertThatThrownBy(() -> a.write(() -> {
                    poolsA.insert(pool("bulk"));
                    throw new IllegalStateException("changed my mind");
                }))
                .hasMessage("changed my mind");
        routesA.put(new StaticRoute("example.com", "127.0.0.1", 2525)); // a later commit, as a marker

        await().atMost(VISIBLE).until(() -> routesB.get("example.com").isPresent());
        assertThat(routeReloads).hasValue(1);
        assertThat(poolReloads).hasValue(0);
        assertThat(b.generation(List.of("ip_pools"))).isEqualTo(poolGeneration);
    }

    @Test
    void aNodeDoesNotHearItsOwnChanges() {
        JdbcPoolStore poolsA = new JdbcPoolStore(a);
        JdbcRouteStore routesB = new JdbcRouteStore(b);
        assertThat(routesB.all()).isEmpty();
        AtomicInteger ownReloads = new AtomicInteger();
        a.onRemoteChange(List.of("ip_pools", "static_routes"), ownReloads::incrementAndGet);
        long generation = a.generation(List.of("ip_pools"));

        a.write(() -> {
            poolsA.insert(pool("bulk"));
            return null;
        });
        new JdbcRouteStore(a).put(new StaticRoute("example.com", "127.0.0.1", 2525));
        await().atMost(VISIBLE).until(() -> routesB.get("example.com").isPresent()); // both were sent

        assertThat(a.generation(List.of("ip_pools"))).isEqualTo(generation + 1); // its own commit, once
        assertThat(ownReloads).hasValue(0);
    }

    @Test
    void perMessageTablesAreNotAnnounced() throws SQLException {
        try (Connection c = dataSource("setup").getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS ip_volume");
            s.execute("CREATE TABLE ip_volume (address VARCHAR(64) PRIMARY KEY, sent BIGINT NOT NULL)");
        }
        JdbcRouteStore routesB = new JdbcRouteStore(b);
        assertThat(routesB.all()).isEmpty();
        List<String> reloaded = new CopyOnWriteArrayList<>();
        b.onRemoteChange(List.of("ip_volume"), () -> reloaded.add("ip_volume"));
        long generation = b.generation(List.of("ip_volume"));

        a.update("INSERT INTO ip_volume (address, sent) VALUES (?, ?)", "192.0.2.1", 5L);
        a.write(() -> a.update("UPDATE ip_volume SET sent = sent + 1 WHERE address = ?", "192.0.2.1"));
        new JdbcRouteStore(a).put(new StaticRoute("example.com", "127.0.0.1", 2525)); // the marker

        await().atMost(VISIBLE).until(() -> routesB.get("example.com").isPresent());
        assertThat(reloaded).isEmpty();
        assertThat(b.generation(List.of("ip_volume"))).isEqualTo(generation);
    }

    @Test
    void aReconnectedListenerTreatsEverythingAsChanged() {
        JdbcPoolStore poolsA = new JdbcPoolStore(a);
        JdbcPoolStore poolsB = new JdbcPoolStore(b);
        AtomicInteger reloads = new AtomicInteger();
        b.onRemoteChange(List.of("email_templates"), reloads::incrementAndGet);
        assertThat(poolsB.ofAccount("111111111111")).isEmpty();

        bMayListen.set(false);
        terminate("node-b-listen");
        await().atMost(Duration.ofSeconds(10)).until(() -> !feedB.listening());
        a.write(() -> {
            poolsA.insert(pool("bulk")); // announced while B does not listen: B never hears it
            return null;
        });
        sleep(Duration.ofMillis(500));
        assertThat(poolsB.get("111111111111", "bulk")).isEmpty();

        bMayListen.set(true);
        await().atMost(Duration.ofSeconds(10)).until(feedB::listening);
        assertThat(feedB.connections()).isEqualTo(2);
        assertThat(poolsB.get("111111111111", "bulk")).isPresent();
        assertThat(reloads).hasValue(1); // every reload ran once, whatever its tables
    }

    @Test
    void tooManyTablesForOnePayloadAnnounceEverything() throws SQLException {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            names.add("a_rather_long_table_name_" + i);
        }
        String payload = feedA.payload(7, new HashSet<>(names));
        assertThat(payload).isEqualTo(feedA.origin() + "\n7\n" + PostgresChangeFeed.EVERYTHING);
        AtomicInteger reloads = new AtomicInteger();
        b.onRemoteChange(List.of("static_routes"), reloads::incrementAndGet);
        long generation = b.generation(List.of("static_routes"));

        try (Connection c = dataSource("node-a").getConnection()) {
            c.setAutoCommit(false);
            feedA.announce(c, new HashSet<>(names)); // PostgreSQL would refuse the whole list
            c.commit();
        }

        await().atMost(VISIBLE).until(() -> reloads.get() == 1);
        assertThat(b.generation(List.of("static_routes"))).isGreaterThan(generation);
    }

    @Test
    void theSuppressionCatchUpQueryRunsOnPostgres() throws SQLException {
        try (Connection c = dataSource("setup").getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS suppressed_destinations");
            s.execute("CREATE TABLE suppressed_destinations (account_id VARCHAR(12) NOT NULL,"
                    + " email_address VARCHAR(320) NOT NULL, reason VARCHAR(16) NOT NULL, last_update_ms BIGINT NOT NULL,"
                    + " message_id VARCHAR(128), feedback_id VARCHAR(128), PRIMARY KEY (account_id, email_address))");
            s.execute("INSERT INTO suppressed_destinations (account_id, email_address, reason, last_update_ms) VALUES"
                    + " ('111111111111', 'old@example.com', 'BOUNCE', 1000),"
                    + " ('111111111111', 'new@example.com', 'COMPLAINT', 5000),"
                    + " ('222222222222', 'also@example.com', 'BOUNCE', 6000)");
        }
        List<String> seen = new ArrayList<>();

        new JdbcSuppressionStore(b)
                .scanUpdatedSince(5000, (account, address, reason) -> seen.add(account + " " + address + " " + reason));

        assertThat(seen)
                .containsExactly("111111111111 new@example.com COMPLAINT", "222222222222 also@example.com BOUNCE");
    }

    private static DedicatedIpPool pool(String name) {
        return new DedicatedIpPool("111111111111", name, ScalingMode.STANDARD, Instant.ofEpochMilli(1_000));
    }

    private static DataSource dataSource(String applicationName) {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(postgres.getJdbcUrl("postgres", "postgres"));
        ds.setApplicationName(applicationName);
        return ds;
    }

    private static void terminate(String applicationName) {
        try (Connection c = dataSource("setup").getConnection();
                Statement s = c.createStatement()) {
            s.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '"
                    + applicationName + "'");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(Duration d) {
        try {
            Thread.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A data source that refuses connections while its switch is off: a database out of reach. */
    private record Switched(DataSource delegate, AtomicBoolean on) implements DataSource {
        @Override
        public Connection getConnection() throws SQLException {
            if (!on.get()) {
                throw new SQLException("database out of reach");
            }
            return delegate.getConnection();
        }

        @Override
        public Connection getConnection(String user, String password) throws SQLException {
            return getConnection();
        }

        @Override
        public PrintWriter getLogWriter() {
            return null;
        }

        @Override
        public void setLogWriter(PrintWriter out) {}

        @Override
        public void setLoginTimeout(int seconds) {}

        @Override
        public int getLoginTimeout() {
            return 0;
        }

        @Override
        public Logger getParentLogger() throws SQLFeatureNotSupportedException {
            throw new SQLFeatureNotSupportedException();
        }

        @Override
        public <T> T unwrap(Class<T> type) throws SQLException {
            throw new SQLException("not a wrapper");
        }

        @Override
        public boolean isWrapperFor(Class<?> type) {
            return false;
        }
    }
}
