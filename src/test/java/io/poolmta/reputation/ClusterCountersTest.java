package io.poolmta.reputation;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.events.EventType;
import io.poolmta.events.MailEvent;
import io.poolmta.message.Envelope;
import io.poolmta.message.MailHeaders;
import io.poolmta.message.TlsPolicy;
import io.poolmta.provider.ProviderTable;
import io.poolmta.store.Database;
import io.poolmta.store.JdbcReputationStore;
import io.poolmta.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes' reputation counters on one database: each stores only what it counted, and each
 * counts cluster-wide once both have flushed, never counting the same report twice.
 */
class ClusterCountersTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:03:00Z");
    private static final String ACCOUNT = "111122223333";

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(T0);
    Database database;
    int ids;

    @BeforeEach
    void open() {
        database = Database.openEmbedded(dir);
    }

    @AfterEach
    void close() {
        database.close();
    }

    private ReputationCounters node(String name) {
        return node(name, true);
    }

    private ReputationCounters node(String name, boolean shared) {
        ReputationCounters counters = new ReputationCounters(
                ProviderTable.defaults(),
                new JdbcReputationStore(database.jdbc(), name, clock),
                clock,
                ReputationCounters.DEFAULT_HOURLY_RETENTION,
                ReputationCounters.DEFAULT_DAILY_RETENTION,
                shared);
        counters.load();
        return counters;
    }

    private void publish(ReputationCounters node, EventType type, MailEvent.Detail detail, int n) {
        for (int i = 0; i < n; i++) {
            Instant now = clock.instant();
            String recipient = "user" + (++ids) + "@example.com";
            Envelope envelope = new Envelope(
                    "m" + ids,
                    ACCOUNT,
                    Optional.empty(),
                    "pool-a",
                    "bounces@brand.test",
                    List.of(recipient),
                    now,
                    now.plusSeconds(3600),
                    TlsPolicy.OPTIONAL,
                    Map.of(),
                    "127.0.0.1");
            node.observe(new MailEvent(
                    type,
                    now,
                    envelope,
                    List.of(recipient),
                    Optional.of("127.0.0.5"),
                    "pool-a",
                    Optional.empty(),
                    Optional.empty(),
                    detail,
                    MailHeaders.of("From: News <news@brand.test>\r\nSubject: hi\r\n\r\nbody\r\n"
                            .getBytes(StandardCharsets.US_ASCII))));
        }
    }

    private static Counts accountTotal(ReputationCounters counters) {
        return counters.scopeTotal(Scope.account(ACCOUNT), T0.minus(Duration.ofDays(1)), T0.plus(Duration.ofDays(1)));
    }

    @Test
    void eachNodeCountsWhatTheOthersStoredOnceAfterTheirFlushes() {
        ReputationCounters a = node("node-a");
        ReputationCounters b = node("node-b");

        publish(a, EventType.SEND, new MailEvent.Send(), 10);
        publish(b, EventType.SEND, new MailEvent.Send(), 5);
        publish(b, EventType.BOUNCE, new MailEvent.Bounce("Permanent", "General"), 2);
        assertThat(accountTotal(a).sent()).isEqualTo(10); // nothing stored yet

        a.flush();
        b.flush();
        a.flush();
        assertThat(accountTotal(a).sent()).isEqualTo(15);
        assertThat(accountTotal(b).sent()).isEqualTo(15);
        assertThat(accountTotal(a).bouncedPermanent()).isEqualTo(2);

        // more on node-a: node-b re-reads the changed cell (and, within the clock-skew overlap, the
        // unchanged ones) and adds only what changed
        clock.advance(Duration.ofSeconds(1));
        publish(a, EventType.SEND, new MailEvent.Send(), 3);
        a.flush();
        b.flush();
        b.flush();
        assertThat(accountTotal(b).sent()).isEqualTo(18);
        assertThat(accountTotal(b).bouncedPermanent()).isEqualTo(2);

        // a restarted node-a reads its own cells and node-b's: the same cluster-wide figures
        ReputationCounters restartedA = node("node-a");
        assertThat(accountTotal(restartedA)).isEqualTo(accountTotal(b));
        assertThat(accountTotal(restartedA).sent()).isEqualTo(18);
    }

    @Test
    void aNodeAloneReadsTheOthersCellsAtLoadOnly() {
        ReputationCounters other = node("node-b");
        publish(other, EventType.SEND, new MailEvent.Send(), 4);
        other.flush();

        // the embedded database's node: what is stored at its start counts, later flushes write only
        ReputationCounters alone = node("node-a", false);
        assertThat(accountTotal(alone).sent()).isEqualTo(4);
        publish(alone, EventType.SEND, new MailEvent.Send(), 2);
        clock.advance(Duration.ofSeconds(1));
        publish(other, EventType.SEND, new MailEvent.Send(), 5);
        other.flush();
        alone.flush();
        alone.flush();
        assertThat(accountTotal(alone).sent()).isEqualTo(6);
        assertThat(accountTotal(node("node-c")).sent()).isEqualTo(11); // what it wrote is stored
    }
}
