package io.poolmta.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.delivery.smtp.SmtpReply;
import io.poolmta.provider.ProviderTable;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The AIMD shape of adaptive throttling: halve and pause on throttling, +1 connection per 20 deliveries. */
class AdaptiveThrottleTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final String SITE = "mx1.example.net:25";

    @Test
    void recognisesProviderThrottleReplies() {
        assertThat(AdaptiveThrottle.isThrottle(
                        new SmtpReply(421, "4.7.28 Our system has detected an unusual rate of unsolicited mail")))
                .isTrue();
        assertThat(
                        AdaptiveThrottle.isThrottle(
                                new SmtpReply(
                                        451,
                                        "4.7.650 The mail server [127.0.0.11] has been temporarily rate limited due to IP reputation.")))
                .isTrue();
        assertThat(AdaptiveThrottle.isThrottle(
                        new SmtpReply(421, "4.7.0 [TSS04] Messages from 127.0.0.11 temporarily deferred")))
                .isTrue();
        assertThat(AdaptiveThrottle.isThrottle(new SmtpReply(452, "4.2.2 Mailbox full")))
                .isFalse();
        assertThat(AdaptiveThrottle.isThrottle(new SmtpReply(550, "5.7.1 rate limited")))
                .isFalse();
        assertThat(AdaptiveThrottle.isThrottle(new SmtpReply(451, "4.3.0 local error in processing")))
                .isFalse();
    }

    @Test
    void throttlingHalvesConnectionsAndPausesWithGrowingPauses() {
        AdaptiveThrottle throttle = new AdaptiveThrottle(ProviderTable.defaults());
        assertThat(throttle.connectionLimit("127.0.0.11", "google", SITE)).isEqualTo(4);

        throttle.onThrottled("127.0.0.11", "google", SITE, T0);
        assertThat(throttle.connectionLimit("127.0.0.11", "google", SITE)).isEqualTo(2);
        assertThat(throttle.pausedUntil("127.0.0.11", "google", SITE, T0)).contains(T0.plus(Duration.ofMinutes(1)));
        assertThat(throttle.pausedUntil("127.0.0.11", "google", SITE, T0.plus(Duration.ofMinutes(1))))
                .isEmpty();

        throttle.onThrottled("127.0.0.11", "google", SITE, T0);
        assertThat(throttle.connectionLimit("127.0.0.11", "google", SITE)).isEqualTo(1);
        assertThat(throttle.pausedUntil("127.0.0.11", "google", SITE, T0)).contains(T0.plus(Duration.ofMinutes(2)));
        throttle.onThrottled("127.0.0.11", "google", SITE, T0);
        assertThat(throttle.connectionLimit("127.0.0.11", "google", SITE)).isEqualTo(1);

        // another provider and another IP are untouched
        assertThat(throttle.connectionLimit("127.0.0.11", "microsoft", SITE)).isEqualTo(2);
        assertThat(throttle.connectionLimit("127.0.0.12", "google", SITE)).isEqualTo(4);
        assertThat(throttle.pausedUntil("127.0.0.12", "google", SITE, T0)).isEmpty();
    }

    @Test
    void deliveriesRaiseTheLimitOneStepAtATimeUpToTheProviderLimit() {
        AdaptiveThrottle throttle = new AdaptiveThrottle(ProviderTable.defaults());
        throttle.onThrottled("127.0.0.11", "google", SITE, T0);
        throttle.onThrottled("127.0.0.11", "google", SITE, T0);
        assertThat(throttle.connectionLimit("127.0.0.11", "google", SITE)).isEqualTo(1);

        throttle.onDelivered("127.0.0.11", "google", SITE, 19);
        assertThat(throttle.connectionLimit("127.0.0.11", "google", SITE)).isEqualTo(1);
        throttle.onDelivered("127.0.0.11", "google", SITE, 1);
        assertThat(throttle.connectionLimit("127.0.0.11", "google", SITE)).isEqualTo(2);
        throttle.onDelivered("127.0.0.11", "google", SITE, 20);
        assertThat(throttle.connectionLimit("127.0.0.11", "google", SITE)).isEqualTo(3);
        throttle.onDelivered("127.0.0.11", "google", SITE, 1000);
        assertThat(throttle.connectionLimit("127.0.0.11", "google", SITE)).isEqualTo(4);

        // after recovery the next pause starts short again
        throttle.onThrottled("127.0.0.11", "google", SITE, T0);
        assertThat(throttle.pausedUntil("127.0.0.11", "google", SITE, T0)).contains(T0.plus(Duration.ofMinutes(1)));
    }

    @Test
    void deliveriesOfAConnectionOpenedBeforeAThrottleDoNotUndoIt() {
        AdaptiveThrottle throttle = new AdaptiveThrottle(ProviderTable.defaults());
        long opened = throttle.epoch("127.0.0.11", "google", SITE); // a connection opens
        throttle.onThrottled("127.0.0.11", "google", SITE, T0); // another connection of the path is throttled
        assertThat(throttle.connectionLimit("127.0.0.11", "google", SITE)).isEqualTo(2);

        throttle.onDelivered("127.0.0.11", "google", SITE, 60, opened); // the first one reports what it sent meanwhile
        assertThat(throttle.connectionLimit("127.0.0.11", "google", SITE)).isEqualTo(2);
        assertThat(throttle.snapshot(T0).getFirst().delivered()).isEqualTo(60);

        // a connection opened after the throttle counts
        throttle.onDelivered("127.0.0.11", "google", SITE, 20, throttle.epoch("127.0.0.11", "google", SITE));
        assertThat(throttle.connectionLimit("127.0.0.11", "google", SITE)).isEqualTo(3);
    }

    @Test
    void providersAreClassifiedByDomainThenByMxHost() {
        ProviderTable table = ProviderTable.defaults();
        assertThat(table.classify("gmail.com", java.util.List.of("127.0.0.1"))).isEqualTo("google");
        assertThat(table.classify("acme.test", java.util.List.of("aspmx.l.google.com")))
                .isEqualTo("google");
        assertThat(table.classify("corp.test", java.util.List.of("corp-test.mail.protection.outlook.com")))
                .isEqualTo("microsoft");
        assertThat(table.classify("aol.com", java.util.List.of())).isEqualTo("yahoo");
        assertThat(table.classify("me.com", java.util.List.of())).isEqualTo("apple");
        assertThat(table.classify("example.com", java.util.List.of("mx.example.com")))
                .isEqualTo("other");
        assertThat(table.classify("notgmail.com", java.util.List.of())).isEqualTo("other");
    }

    /**
     * A known provider is one scope whichever of its sites answered; unclassified destinations are
     * throttled site by site, so one dead or strict small domain does not pause the IP for the rest.
     */
    @Test
    void unclassifiedDestinationsAreThrottledSiteBySite() {
        AdaptiveThrottle throttle = new AdaptiveThrottle(ProviderTable.defaults());
        String ip = "127.0.0.11";
        throttle.onThrottled(ip, ProviderTable.OTHER, "mx.down.example:25", T0);
        assertThat(throttle.pausedUntil(ip, ProviderTable.OTHER, "mx.down.example:25", T0))
                .isPresent();
        assertThat(throttle.pausedUntil(ip, ProviderTable.OTHER, "mx.fine.example:25", T0))
                .isEmpty();
        assertThat(throttle.connectionLimit(ip, ProviderTable.OTHER, "mx.fine.example:25"))
                .isEqualTo(ProviderTable.defaults().limits(ProviderTable.OTHER).connectionsPerIp());

        throttle.onThrottled(ip, "google", "gmail-smtp-in.l.google.com:25", T0);
        assertThat(throttle.pausedUntil(ip, "google", "alt1.gmail-smtp-in.l.google.com:25", T0))
                .isPresent();

        assertThat(throttle.snapshot(T0))
                .extracting(AdaptiveThrottle.Snapshot::provider, AdaptiveThrottle.Snapshot::site)
                .as("a site is remembered only once throttled")
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("google", ""),
                        org.assertj.core.groups.Tuple.tuple("other", "mx.down.example:25"));
    }

    /** A site that has fully recovered is forgotten again, so a million small domains leave nothing behind. */
    @Test
    void aRecoveredSiteIsForgotten() {
        AdaptiveThrottle throttle = new AdaptiveThrottle(ProviderTable.defaults());
        String ip = "127.0.0.11";
        String site = "mx.small.example:25";
        int max = ProviderTable.defaults().limits(ProviderTable.OTHER).connectionsPerIp();
        for (int i = 0; i < 1000; i++) {
            throttle.onDelivered(ip, ProviderTable.OTHER, "mx" + i + ".example:25", 5); // never throttled: no entry
        }
        assertThat(throttle.snapshot(T0)).isEmpty();

        throttle.onThrottled(ip, ProviderTable.OTHER, site, T0);
        throttle.onThrottled(ip, ProviderTable.OTHER, site, T0); // limit max/4, next pause 4 minutes
        assertThat(throttle.snapshot(T0)).hasSize(1);
        long epoch = throttle.epoch(ip, ProviderTable.OTHER, site);
        for (int delivered = 0; throttle.snapshot(T0).size() == 1 && delivered < 10_000; delivered += STEP_OF_20) {
            assertThat(throttle.connectionLimit(ip, ProviderTable.OTHER, site)).isLessThanOrEqualTo(max);
            throttle.onDelivered(ip, ProviderTable.OTHER, site, STEP_OF_20, epoch);
        }
        assertThat(throttle.snapshot(T0)).as("recovered and forgotten").isEmpty();
        assertThat(throttle.connectionLimit(ip, ProviderTable.OTHER, site)).isEqualTo(max);
        assertThat(throttle.pausedUntil(ip, ProviderTable.OTHER, site, T0)).isEmpty();
    }

    /** A dead small domain never recovers: its site is forgotten an hour after its last pause ended. */
    @Test
    void aSiteThatNeverRecoversIsForgottenAnHourAfterItsLastPause() {
        AdaptiveThrottle throttle = new AdaptiveThrottle(ProviderTable.defaults());
        String ip = "127.0.0.11";
        throttle.onThrottled(ip, ProviderTable.OTHER, "mx.dead.example:25", T0); // paused until T0 + 1 min
        Instant later = T0.plus(Duration.ofMinutes(1))
                .plus(AdaptiveThrottle.FORGET_AFTER)
                .minusSeconds(1);
        throttle.onThrottled(ip, ProviderTable.OTHER, "mx.other.example:25", later);
        assertThat(throttle.snapshot(later))
                .extracting(AdaptiveThrottle.Snapshot::site)
                .containsExactlyInAnyOrder("mx.dead.example:25", "mx.other.example:25");

        Instant muchLater = later.plus(Duration.ofMinutes(2));
        throttle.onThrottled(ip, ProviderTable.OTHER, "mx.third.example:25", muchLater);
        assertThat(throttle.snapshot(muchLater))
                .extracting(AdaptiveThrottle.Snapshot::site)
                .as("the dead site's pause ended over an hour ago")
                .doesNotContain("mx.dead.example:25")
                .contains("mx.other.example:25", "mx.third.example:25");
    }

    private static final int STEP_OF_20 = AdaptiveThrottle.STEP;
}
