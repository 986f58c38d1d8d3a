package io.poolmta.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.configset.ConfigurationSetService;
import io.poolmta.identity.DkimSigners;
import io.poolmta.identity.FileDkimKeyStore;
import io.poolmta.provider.ProviderTable;
import io.poolmta.reputation.Enforcement;
import io.poolmta.reputation.EnforcementRecord;
import io.poolmta.reputation.EnforcementStatus;
import io.poolmta.reputation.ReputationCounters;
import io.poolmta.reputation.ReputationPolicy;
import io.poolmta.reputation.Scope;
import io.poolmta.store.Database;
import io.poolmta.store.JdbcConfigurationSetStore;
import io.poolmta.store.JdbcIdentityStore;
import io.poolmta.store.JdbcPoolStore;
import io.poolmta.store.JdbcReputationStore;
import io.poolmta.store.JdbcSuppressionStore;
import io.poolmta.store.JdbcTagStore;
import io.poolmta.store.JdbcTemplateStore;
import io.poolmta.suppression.SuppressionList;
import io.poolmta.suppression.SuppressionReason;
import io.poolmta.template.TemplateContent;
import io.poolmta.template.TemplateData;
import io.poolmta.template.TemplateEngine;
import io.poolmta.template.TemplateService;
import io.poolmta.testing.LinkedChangeFeed;
import io.poolmta.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two nodes on one database (two embedded H2 handles on one file): what node B changes reaches node
 * A's in-memory views outside the snapshots once B's announcements are delivered to A, and not
 * before. Each assertion before the delivery shows the view would stay stale without its reload.
 */
class ClusterReloadsTest {
    private static final String ACCOUNT = "111111111111";

    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.startingNow();
    private Node a;
    private Node b;
    private int nodes;

    private final class Node implements AutoCloseable {
        final Database db = Database.openEmbedded(dir);
        final LinkedChangeFeed feed = new LinkedChangeFeed();
        final JdbcReputationStore reputation = new JdbcReputationStore(db.jdbc(), "node-" + (++nodes), clock);
        final Enforcement enforcement;
        final SuppressionList suppression;
        final TemplateService templates;
        final DkimSigners signers;

        Node() {
            ConfigurationSetService sets = new ConfigurationSetService(
                    new JdbcConfigurationSetStore(db.jdbc()),
                    new JdbcPoolStore(db.jdbc()),
                    new JdbcTagStore(db.jdbc()),
                    db.jdbc(),
                    clock);
            ReputationCounters counters = new ReputationCounters(
                    ProviderTable.defaults(),
                    reputation,
                    clock,
                    ReputationCounters.DEFAULT_HOURLY_RETENTION,
                    ReputationCounters.DEFAULT_DAILY_RETENTION,
                    true);
            enforcement = new Enforcement(counters, reputation, sets, ReputationPolicy.DEFAULT, clock);
            suppression = new SuppressionList(
                    new JdbcSuppressionStore(db.jdbc()), db.jdbc(), (x, y) -> Optional.empty(), clock);
            suppression.load();
            templates = new TemplateService(
                    new JdbcTemplateStore(db.jdbc()),
                    new TemplateEngine(),
                    new JdbcTagStore(db.jdbc()),
                    db.jdbc(),
                    clock);
            signers =
                    new DkimSigners(new JdbcIdentityStore(db.jdbc()), new FileDkimKeyStore(dir.resolve("dkim")), clock);
            ClusterReloads.register(db.jdbc(), enforcement, suppression, templates, signers);
            db.jdbc().attach(feed);
        }

        @Override
        public void close() {
            db.close();
        }
    }

    @BeforeEach
    void twoNodes() {
        a = new Node();
        b = new Node();
    }

    @AfterEach
    void close() {
        a.close();
        b.close();
    }

    @Test
    void aScopePausedOrReinstatedOnAnotherNodeIsSoHere() {
        Scope scope = Scope.account(ACCOUNT);
        assertThat(a.enforcement.status(scope)).isEqualTo(EnforcementStatus.HEALTHY);

        b.reputation.saveEnforcement(
                new EnforcementRecord(scope, Optional.of(clock.instant()), "bounce rate 20 %", Optional.empty()));
        assertThat(a.enforcement.status(scope)).isEqualTo(EnforcementStatus.HEALTHY); // not heard yet
        b.feed.deliverTo(a.feed);

        assertThat(a.enforcement.status(scope)).isEqualTo(EnforcementStatus.SHUTDOWN);
        assertThat(a.enforcement.notHealthy()).extracting(s -> s.scope()).containsExactly(scope);

        b.enforcement.reload();
        b.enforcement.reinstate(scope);
        b.feed.deliverTo(a.feed);

        assertThat(a.enforcement.status(scope)).isEqualTo(EnforcementStatus.HEALTHY);
        assertThat(a.enforcement.notHealthy()).isEmpty();
    }

    @Test
    void anAddressSuppressedOnAnotherNodeIsSuppressedHere() {
        List<String> to = List.of("gone@example.com", "fine@example.com");
        assertThat(a.suppression.suppressed(ACCOUNT, Optional.empty(), to)).isEmpty();

        b.suppression.put(ACCOUNT, "gone@example.com", SuppressionReason.BOUNCE);
        assertThat(a.suppression.suppressed(ACCOUNT, Optional.empty(), to)).isEmpty(); // the index misses
        b.feed.deliverTo(a.feed);

        assertThat(a.suppression.suppressed(ACCOUNT, Optional.empty(), to)).containsExactly("gone@example.com");

        b.suppression.delete(ACCOUNT, "gone@example.com");
        b.feed.deliverTo(a.feed);

        assertThat(a.suppression.suppressed(ACCOUNT, Optional.empty(), to)).isEmpty();
    }

    @Test
    void aCatchUpReadsAgainTheOverlapBeforeTheLastOne() {
        clock.advance(Duration.ofMinutes(10));
        a.suppression.catchUp(); // A has caught up to now
        // an entry stamped before that: B's clock is behind, or its transaction committed late
        clock.advance(SuppressionList.CATCH_UP_OVERLAP.minusSeconds(10).negated());
        b.suppression.put(ACCOUNT, "late@example.com", SuppressionReason.COMPLAINT);
        clock.advance(SuppressionList.CATCH_UP_OVERLAP);
        b.feed.deliverTo(a.feed);

        assertThat(a.suppression.suppressed(ACCOUNT, Optional.empty(), List.of("late@example.com")))
                .containsExactly("late@example.com");
    }

    @Test
    void suppressedReasonsSetOnAnotherNodeCountHere() {
        assertThat(a.suppression.accountReasons(ACCOUNT))
                .containsExactlyInAnyOrder(SuppressionReason.BOUNCE, SuppressionReason.COMPLAINT);

        b.suppression.putAccountReasons(ACCOUNT, Set.of(SuppressionReason.COMPLAINT));
        b.feed.deliverTo(a.feed);

        assertThat(a.suppression.accountReasons(ACCOUNT)).containsExactly(SuppressionReason.COMPLAINT);
    }

    @Test
    void aTemplateCreatedAgainOnAnotherNodeIsRenderedFromItsNewContent() {
        a.templates.create(ACCOUNT, "welcome", TemplateContent.of("Hello from the old one", "old", null));
        assertThat(subject(a)).isEqualTo("Hello from the old one");

        b.templates.delete(ACCOUNT, "welcome");
        b.templates.create(ACCOUNT, "welcome", TemplateContent.of("Hello from the new one", "new", null));
        assertThat(subject(a)).isEqualTo("Hello from the old one"); // version 1 again: the kept copy matches
        b.feed.deliverTo(a.feed);

        assertThat(subject(a)).isEqualTo("Hello from the new one");
    }

    private static String subject(Node node) {
        return node.templates
                .render(node.templates.compiled(ACCOUNT, "welcome"), TemplateData.EMPTY)
                .subject();
    }
}
