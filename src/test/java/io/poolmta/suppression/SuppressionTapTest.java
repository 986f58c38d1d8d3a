package io.poolmta.suppression;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.events.EventType;
import io.poolmta.events.MailEvent;
import io.poolmta.message.Envelope;
import io.poolmta.message.MailHeaders;
import io.poolmta.message.TlsPolicy;
import io.poolmta.store.Database;
import io.poolmta.store.JdbcSuppressionStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which events add to the list: permanent bounces and complaints, per the account's reasons;
 * never transient bounces or the list's own OnAccountSuppressionList bounces. Complaint events come
 * from the feedback listener, so they are built here.
 */
class SuppressionTapTest {
    private static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    Database database;
    SuppressionList list;

    @BeforeEach
    void setUp() {
        database = Database.openEmbedded(dir);
        list = new SuppressionList(
                new JdbcSuppressionStore(database.jdbc()),
                database.jdbc(),
                (account, name) -> Optional.empty(),
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void tearDown() {
        database.close();
    }

    @Test
    void aComplaintAddsTheComplainingRecipients() {
        list.observe(event(EventType.COMPLAINT, "m1", List.of("a@example.com", "B@example.com"), new MailEvent.Send()));

        SuppressedDestination a = list.get("acct1", "a@example.com");
        assertThat(a.reason()).isEqualTo(SuppressionReason.COMPLAINT);
        assertThat(a.messageId()).contains("m1");
        assertThat(a.lastUpdateTime()).isEqualTo(NOW);
        assertThat(list.get("acct1", "b@example.com").reason()).isEqualTo(SuppressionReason.COMPLAINT);
        assertThat(list.suppressed("acct1", Optional.empty(), List.of("b@example.com", "c@example.com")))
                .containsExactly("b@example.com");
    }

    @Test
    void onlyPermanentBouncesThatTheListDidNotCauseAdd() {
        list.observe(
                event(EventType.BOUNCE, "m1", List.of("t@example.com"), new MailEvent.Bounce("Transient", "General")));
        list.observe(event(
                EventType.BOUNCE,
                "m2",
                List.of("s@example.com"),
                new MailEvent.Bounce("Permanent", SuppressionList.SUB_TYPE)));
        list.observe(
                event(EventType.BOUNCE, "m3", List.of("p@example.com"), new MailEvent.Bounce("Permanent", "General")));
        list.observe(event(EventType.DELIVERY, "m4", List.of("d@example.com"), new MailEvent.Delivery(5)));

        assertThat(list.size("acct1")).isEqualTo(1);
        assertThat(list.get("acct1", "p@example.com").feedbackId()).contains("m3-bounce");
    }

    @Test
    void theAccountsReasonsDecide() {
        list.putAccountReasons("acct1", Set.of(SuppressionReason.BOUNCE));
        list.observe(event(EventType.COMPLAINT, "m1", List.of("a@example.com"), new MailEvent.Send()));
        assertThat(list.size("acct1")).isZero();

        list.observe(
                event(EventType.BOUNCE, "m2", List.of("a@example.com"), new MailEvent.Bounce("Permanent", "General")));
        assertThat(list.size("acct1")).isEqualTo(1);
        list.putAccountReasons("acct1", Set.of(SuppressionReason.COMPLAINT));
        // listed for BOUNCE, which no longer counts
        assertThat(list.suppressed("acct1", Optional.empty(), List.of("a@example.com")))
                .isEmpty();
    }

    @Test
    void theIndexIsRebuiltFromTheStore() {
        list.put("acct1", "a@example.com", SuppressionReason.BOUNCE);
        list.put("acct2", "a@example.com", SuppressionReason.COMPLAINT);
        SuppressionList reopened = new SuppressionList(
                new JdbcSuppressionStore(database.jdbc()),
                database.jdbc(),
                (account, name) -> Optional.empty(),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(reopened.load()).isEqualTo(2);
        assertThat(reopened.suppressed("acct1", Optional.empty(), List.of("A@example.com")))
                .containsExactly("A@example.com");
        assertThat(reopened.suppressed("acct3", Optional.empty(), List.of("a@example.com")))
                .isEmpty();
    }

    private static MailEvent event(EventType type, String messageId, List<String> recipients, MailEvent.Detail detail) {
        Envelope envelope = new Envelope(
                messageId,
                "acct1",
                Optional.empty(),
                "ses-default-dedicated-pool",
                "s@acme.test",
                recipients,
                NOW,
                NOW.plusSeconds(3600),
                TlsPolicy.OPTIONAL,
                Map.of());
        return new MailEvent(
                type,
                NOW,
                envelope,
                recipients,
                Optional.empty(),
                "ses-default-dedicated-pool",
                Optional.empty(),
                Optional.empty(),
                detail,
                MailHeaders.UNREADABLE);
    }
}
