package io.poolmta.reputation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import io.poolmta.pool.PoolNames;
import io.poolmta.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Enforcement's rates and transitions with SES's default thresholds (5 % / 10 % bounces, 0.1 % /
 * 0.5 % complaints, 7 days, at least 500 sends), on the counters, with a clock the test moves.
 */
class EnforcementTest {
    @TempDir
    Path dir;

    MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:15:00Z"));
    ReputationFixture f;
    String acme;

    @BeforeEach
    void setUp() {
        f = new ReputationFixture(dir, clock, ReputationPolicy.DEFAULT);
        acme = f.account("acme");
    }

    @AfterEach
    void tearDown() {
        f.close();
    }

    @Test
    void noDecisionBelowTheMinimumVolume() {
        f.send(acme, 499);
        f.bounce(acme, 100);

        assertThat(f.status(Scope.account(acme))).isEqualTo(EnforcementStatus.HEALTHY);

        f.send(acme, 1);

        assertThat(f.status(Scope.account(acme))).isEqualTo(EnforcementStatus.SHUTDOWN);
    }

    @Test
    void healthyThenProbationThenShutdownWhichStaysUntilReinstated() {
        f.send(acme, 1000);
        f.bounce(acme, 49);
        assertThat(f.status(Scope.account(acme))).isEqualTo(EnforcementStatus.HEALTHY);

        f.bounce(acme, 1);
        Standing review = f.enforcement.standing(Scope.account(acme));
        assertThat(review.status()).isEqualTo(EnforcementStatus.PROBATION);
        assertThat(review.bounceRate()).isEqualTo(0.05);
        assertThat(review.reason()).contains("bounce rate 5.00 % (50 of 1000)");

        f.bounce(acme, 49);
        assertThat(f.status(Scope.account(acme))).isEqualTo(EnforcementStatus.PROBATION);
        f.bounce(acme, 1);
        assertThat(f.status(Scope.account(acme))).isEqualTo(EnforcementStatus.SHUTDOWN);

        // better figures later do not lift a pause: only the operator does
        f.send(acme, 10_000);
        assertThat(f.status(Scope.account(acme))).isEqualTo(EnforcementStatus.SHUTDOWN);

        Standing after = f.enforcement.reinstate(Scope.account(acme));
        assertThat(after.status()).isEqualTo(EnforcementStatus.HEALTHY);
        assertThat(after.sends()).isZero();
        assertThat(after.windowStart()).isEqualTo(Instant.parse("2026-03-02T11:00:00Z"));
    }

    @Test
    void probationFollowsTheRatesBackToHealthy() {
        f.send(acme, 1000);
        f.bounce(acme, 60);
        assertThat(f.status(Scope.account(acme))).isEqualTo(EnforcementStatus.PROBATION);

        f.send(acme, 1000);

        assertThat(f.status(Scope.account(acme))).isEqualTo(EnforcementStatus.HEALTHY);
    }

    @Test
    void complaintRatesReviewAtOneInAThousandAndPauseAtFive() {
        f.send(acme, 1000);
        f.complain(acme, 1);
        assertThat(f.status(Scope.account(acme))).isEqualTo(EnforcementStatus.PROBATION);

        f.complain(acme, 4);

        assertThat(f.status(Scope.account(acme))).isEqualTo(EnforcementStatus.SHUTDOWN);
        assertThat(f.enforcement.standing(Scope.account(acme)).reason()).contains("complaint rate 0.500 %");
    }

    @Test
    void oldSendsAndBouncesRollOutOfTheWindow() {
        f.send(acme, 1000);
        f.bounce(acme, 90);
        assertThat(f.status(Scope.account(acme))).isEqualTo(EnforcementStatus.PROBATION);

        clock.advance(Duration.ofDays(6));
        f.send(acme, 600);
        assertThat(f.status(Scope.account(acme))).isEqualTo(EnforcementStatus.PROBATION); // 90 of 1600

        clock.advance(Duration.ofDays(1).plusHours(2));

        Standing standing = f.enforcement.standing(Scope.account(acme));
        assertThat(standing.sends()).isEqualTo(600);
        assertThat(standing.permanentBounces()).isZero();
        assertThat(standing.status()).isEqualTo(EnforcementStatus.HEALTHY);
    }

    @Test
    void aConfigurationSetWithReputationMetricsIsJudgedOnItsOwn() {
        f.createSet(acme, "marketing", true);
        f.createSet(acme, "plain", false);
        f.send(acme, 5000);
        f.send(acme, Optional.of("marketing"), PoolNames.DEFAULT_POOL, 600);
        f.bounce(acme, Optional.of("marketing"), PoolNames.DEFAULT_POOL, 70);
        f.send(acme, Optional.of("plain"), PoolNames.DEFAULT_POOL, 600);
        f.bounce(acme, Optional.of("plain"), PoolNames.DEFAULT_POOL, 70);

        assertThat(f.status(Scope.configurationSet(acme, "marketing"))).isEqualTo(EnforcementStatus.SHUTDOWN);
        assertThat(f.status(Scope.configurationSet(acme, "plain"))).isEqualTo(EnforcementStatus.HEALTHY);
        assertThat(f.status(Scope.account(acme))).isEqualTo(EnforcementStatus.HEALTHY); // 140 of 6200

        ReputationGate gate = new ReputationGate(f.enforcement, id -> true, clock);
        assertThatThrownBy(() -> gate.check(acme, Optional.of("marketing"), PoolNames.DEFAULT_POOL))
                .isInstanceOfSatisfying(
                        PoolMtaException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.SENDING_PAUSED))
                .hasMessageContaining("configuration set marketing");
        gate.check(acme, Optional.of("plain"), PoolNames.DEFAULT_POOL);
        gate.check(acme, Optional.empty(), PoolNames.DEFAULT_POOL);
    }

    @Test
    void aFreshStartOfASetCountsOnlyLaterHours() {
        f.createSet(acme, "marketing", true);
        f.send(acme, Optional.of("marketing"), PoolNames.DEFAULT_POOL, 600);
        f.bounce(acme, Optional.of("marketing"), PoolNames.DEFAULT_POOL, 40);
        assertThat(f.status(Scope.configurationSet(acme, "marketing"))).isEqualTo(EnforcementStatus.PROBATION);

        f.sets.putLastFreshStart(acme, "marketing", clock.instant());

        assertThat(f.status(Scope.configurationSet(acme, "marketing"))).isEqualTo(EnforcementStatus.HEALTHY);
        clock.advance(Duration.ofHours(1));
        f.send(acme, Optional.of("marketing"), PoolNames.DEFAULT_POOL, 600);
        f.bounce(acme, Optional.of("marketing"), PoolNames.DEFAULT_POOL, 30);
        assertThat(f.enforcement
                        .standing(Scope.configurationSet(acme, "marketing"))
                        .sends())
                .isEqualTo(600);
        assertThat(f.status(Scope.configurationSet(acme, "marketing"))).isEqualTo(EnforcementStatus.PROBATION);
    }

    @Test
    void reinstatingASetGivesItAFreshStartItsOptionsShow() {
        f.createSet(acme, "marketing", true);
        f.send(acme, Optional.of("marketing"), PoolNames.DEFAULT_POOL, 600);
        f.bounce(acme, Optional.of("marketing"), PoolNames.DEFAULT_POOL, 100);
        assertThat(f.status(Scope.configurationSet(acme, "marketing"))).isEqualTo(EnforcementStatus.SHUTDOWN);

        f.enforcement.reinstate(Scope.configurationSet(acme, "marketing"));

        assertThat(f.status(Scope.configurationSet(acme, "marketing"))).isEqualTo(EnforcementStatus.HEALTHY);
        assertThat(f.sets.get(acme, "marketing").reputationOptions().lastFreshStart())
                .contains(clock.instant());
    }

    @Test
    void theSharedPoolGuardHoldsBackOnlyTheAccountWithBadRatesThere() {
        ReputationFixture small = f;
        String beta = small.account("beta");
        // acme: fine on its dedicated IPs, 12 % bounces on the shared pool
        small.send(acme, 2000);
        small.deliver(acme, Optional.empty(), PoolNames.SHARED_POOL, "127.0.0.2", "a@example.com", 530);
        small.bounce(acme, Optional.empty(), PoolNames.SHARED_POOL, 70);
        small.deliver(beta, Optional.empty(), PoolNames.SHARED_POOL, "127.0.0.2", "b@example.com", 600);
        small.send(beta, 600);

        assertThat(small.status(Scope.account(acme))).isEqualTo(EnforcementStatus.HEALTHY);
        assertThat(small.status(Scope.sharedPool(acme))).isEqualTo(EnforcementStatus.SHUTDOWN);
        assertThat(small.status(Scope.sharedPool(beta))).isEqualTo(EnforcementStatus.HEALTHY);
        ReputationGate gate = new ReputationGate(small.enforcement, id -> id.equals(acme), clock);
        assertThatThrownBy(() -> gate.check(acme, Optional.empty(), PoolNames.SHARED_POOL))
                .isInstanceOfSatisfying(
                        PoolMtaException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.MESSAGE_REJECTED))
                .hasMessageContaining("may no longer send through ses-shared-pool");
        gate.check(acme, Optional.empty(), PoolNames.DEFAULT_POOL); // its own IPs
        gate.check(beta, Optional.empty(), PoolNames.SHARED_POOL);
        gate.check(beta, Optional.empty(), PoolNames.DEFAULT_POOL);
    }

    @Test
    void underReviewOnTheSharedPoolAnAccountIsSlowedThere() {
        String beta = f.account("beta"); // no dedicated IPs: its default pool is the shared pool
        f.deliver(beta, Optional.empty(), PoolNames.SHARED_POOL, "127.0.0.2", "b@example.com", 560);
        f.bounce(beta, Optional.empty(), PoolNames.SHARED_POOL, 40);
        assertThat(f.status(Scope.sharedPool(beta))).isEqualTo(EnforcementStatus.PROBATION);
        ReputationGate gate = new ReputationGate(f.enforcement, id -> false, clock);

        gate.check(beta, Optional.empty(), PoolNames.DEFAULT_POOL);
        assertThatThrownBy(() -> gate.check(beta, Optional.empty(), PoolNames.DEFAULT_POOL))
                .isInstanceOfSatisfying(
                        PoolMtaException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.TOO_MANY_REQUESTS))
                .hasMessageContaining("slowed to 1.0 message(s) per second");
        clock.advance(Duration.ofSeconds(1));
        gate.check(beta, Optional.empty(), PoolNames.DEFAULT_POOL);
    }

    @Test
    void theGateActsOnAPauseAnEventCausedAtTheNextMessage() {
        ReputationGate gate = new ReputationGate(f.enforcement, id -> true, clock);
        f.send(acme, 1000);
        f.bounce(acme, 99);
        gate.check(acme, Optional.empty(), PoolNames.DEFAULT_POOL); // HEALTHY, now cached

        f.bounce(acme, 1); // 10 %: the bounce event pauses the account

        assertThatThrownBy(() -> gate.check(acme, Optional.empty(), PoolNames.DEFAULT_POOL))
                .isInstanceOfSatisfying(
                        PoolMtaException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.SENDING_PAUSED));

        f.enforcement.reinstate(Scope.account(acme));

        gate.check(acme, Optional.empty(), PoolNames.DEFAULT_POOL);
    }

    @Test
    void theGateTakesAStandingOnlyTheRatesChangedAgainWithinItsMaximumAge() {
        ReputationGate gate = new ReputationGate(f.enforcement, id -> true, clock);
        f.send(acme, 499);
        f.bounce(acme, 100);
        gate.check(acme, Optional.empty(), PoolNames.DEFAULT_POOL); // below the minimum volume: HEALTHY

        f.send(acme, 1); // the 500th send reaches the minimum volume: a send event re-judges nothing

        gate.check(acme, Optional.empty(), PoolNames.DEFAULT_POOL); // the cached standing, younger than MAX_AGE
        clock.advance(ReputationGate.MAX_AGE);
        assertThatThrownBy(() -> gate.check(acme, Optional.empty(), PoolNames.DEFAULT_POOL))
                .isInstanceOfSatisfying(
                        PoolMtaException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.SENDING_PAUSED));
    }

    @Test
    void countersAndPausesSurviveARestart() {
        f.send(acme, 1000);
        f.bounce(acme, 120);
        assertThat(f.status(Scope.account(acme))).isEqualTo(EnforcementStatus.SHUTDOWN);

        f.close();
        f.open();

        Standing standing = f.enforcement.standing(Scope.account(acme));
        assertThat(standing.status()).isEqualTo(EnforcementStatus.SHUTDOWN);
        assertThat(standing.sends()).isEqualTo(1000);
        assertThat(standing.permanentBounces()).isEqualTo(120);
        assertThat(f.counters
                        .total(
                                CounterFilter.account(acme).withIdentity("brand.test"),
                                Granularity.DAY,
                                Instant.parse("2026-03-02T00:00:00Z"),
                                Instant.parse("2026-03-03T00:00:00Z"))
                        .bouncedPermanent())
                .isEqualTo(120);
    }
}
