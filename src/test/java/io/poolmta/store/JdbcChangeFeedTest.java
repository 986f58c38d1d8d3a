package io.poolmta.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What {@link Jdbc} tells its change feed and does with what it hears, on H2 with a recording feed. */
class JdbcChangeFeedTest {
    private JdbcConnectionPool pool;
    private Jdbc jdbc;
    private final RecordingFeed feed = new RecordingFeed();

    @BeforeEach
    void open() {
        pool = JdbcConnectionPool.create("jdbc:h2:mem:changefeed;DB_CLOSE_DELAY=-1", "sa", "");
        jdbc = new Jdbc(pool);
        jdbc.update("CREATE TABLE routes (domain VARCHAR(64) PRIMARY KEY, host VARCHAR(64))");
        jdbc.update("CREATE TABLE ip_volume (address VARCHAR(64) PRIMARY KEY, sent BIGINT)");
    }

    @AfterEach
    void close() {
        jdbc.update("DROP ALL OBJECTS");
        pool.dispose();
    }

    @Test
    void aMergeMovesTheGenerationLikeAnyWrite() {
        long before = jdbc.generation(List.of("routes"));

        jdbc.update("MERGE INTO routes (domain, host) KEY (domain) VALUES (?, ?)", "example.com", "mx");

        assertThat(jdbc.generation(List.of("routes"))).isEqualTo(before + 1);
    }

    @Test
    void withoutASharedFeedNothingIsAnnounced() {
        jdbc.write(() -> jdbc.update("INSERT INTO routes (domain, host) VALUES (?, ?)", "example.com", "mx"));

        assertThat(feed.announced).isEmpty(); // not attached: the feed of a database only we use
    }

    @Test
    void aTransactionAnnouncesItsTablesOnceBeforeItCommitsAndARollbackNothing() {
        jdbc.attach(feed);

        jdbc.write(() -> {
            jdbc.update("INSERT INTO routes (domain, host) VALUES (?, ?)", "a.example", "mx");
            jdbc.update("UPDATE routes SET host = ? WHERE domain = ?", "mx2", "a.example");
            return null;
        });
        assertThatThrownBy(() -> jdbc.write(() -> {
                    jdbc.update("INSERT INTO routes (domain, host) VALUES (?, ?)", "b.example", "mx");
                    throw new IllegalStateException("no");
                }))
                .hasMessage("no");

        assertThat(feed.announced).containsExactly(Set.of("routes"));
        assertThat(feed.inTransaction).containsExactly(true);
    }

    @Test
    void aWriteOutsideATransactionIsAnnouncedInATransactionOfItsOwn() {
        jdbc.attach(feed);

        jdbc.update("INSERT INTO routes (domain, host) VALUES (?, ?)", "a.example", "mx");

        assertThat(feed.announced).containsExactly(Set.of("routes"));
        assertThat(feed.inTransaction).containsExactly(true);
        assertThat(jdbc.queryOne("SELECT host FROM routes", rs -> rs.getString(1)))
                .contains("mx");
    }

    @Test
    void perMessageTablesAreNotAnnounced() {
        jdbc.attach(feed);
        long before = jdbc.generation(List.of("ip_volume"));

        jdbc.update("INSERT INTO ip_volume (address, sent) VALUES (?, ?)", "192.0.2.1", 1L);
        jdbc.write(() -> jdbc.update("UPDATE ip_volume SET sent = sent + 1"));
        jdbc.write(() -> {
            jdbc.update("UPDATE ip_volume SET sent = sent + 1");
            jdbc.update("INSERT INTO routes (domain, host) VALUES (?, ?)", "a.example", "mx");
            return null;
        });

        assertThat(feed.announced).containsExactly(Set.of("routes"));
        assertThat(jdbc.generation(List.of("ip_volume"))).isEqualTo(before + 3); // local caches still move
    }

    @Test
    void aRemoteChangeMovesItsTablesAndRunsTheirReloads() {
        jdbc.attach(feed);
        AtomicInteger routeReloads = new AtomicInteger();
        AtomicInteger otherReloads = new AtomicInteger();
        jdbc.onRemoteChange(List.of("ROUTES"), routeReloads::incrementAndGet);
        jdbc.onRemoteChange(List.of("email_templates"), otherReloads::incrementAndGet);
        jdbc.onRemoteChange(List.of("routes"), () -> {
            throw new IllegalStateException("a failing reload stops no other");
        });
        long routes = jdbc.generation(List.of("routes"));
        long volume = jdbc.generation(List.of("ip_volume"));

        feed.listener.changed(Set.of("routes"));

        assertThat(jdbc.generation(List.of("routes"))).isEqualTo(routes + 1);
        assertThat(jdbc.generation(List.of("ip_volume"))).isEqualTo(volume);
        assertThat(routeReloads).hasValue(1);
        assertThat(otherReloads).hasValue(0);

        feed.listener.everythingChanged();

        assertThat(jdbc.generation(List.of("routes"))).isEqualTo(routes + 2);
        assertThat(jdbc.generation(List.of("ip_volume"))).isEqualTo(volume + 1);
        assertThat(routeReloads).hasValue(2);
        assertThat(otherReloads).hasValue(1);
    }

    @Test
    void aSnapshotReloadsAfterARemoteChange() {
        jdbc.attach(feed);
        CommittedSnapshot<List<String>> hosts = new CommittedSnapshot<>(
                jdbc, List.of("routes"), () -> jdbc.query("SELECT host FROM routes", rs -> rs.getString(1)));
        assertThat(hosts.get()).isEmpty();
        try (Connection other = pool.getConnection()) { // another node's write: this Jdbc never sees it
            other.createStatement().execute("INSERT INTO routes (domain, host) VALUES ('a.example', 'mx')");
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        assertThat(hosts.get()).isEmpty();

        feed.listener.changed(Set.of("routes"));

        assertThat(hosts.get()).containsExactly("mx");
    }

    /** A shared feed that records what it was asked to announce. */
    private final class RecordingFeed implements ChangeFeed {
        final List<Set<String>> announced = new CopyOnWriteArrayList<>();
        final List<Boolean> inTransaction = new CopyOnWriteArrayList<>();
        Listener listener;

        @Override
        public boolean shared() {
            return true;
        }

        @Override
        public void announce(Connection c, Set<String> tables) throws SQLException {
            announced.add(Set.copyOf(tables));
            inTransaction.add(!c.getAutoCommit() && jdbc.inTransaction());
        }

        @Override
        public void start(Listener l) {
            this.listener = l;
        }

        @Override
        public void close() {}
    }
}
