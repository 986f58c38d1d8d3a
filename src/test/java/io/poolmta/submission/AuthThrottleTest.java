package io.poolmta.submission;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.MutableClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each failure within ten minutes is answered a second later than the one before; the fifth locks an IP out of AUTH for fifteen minutes. */
class AuthThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AuthThrottle throttle = new AuthThrottle(clock, SubmissionSettings.DEFAULT_AUTH_FAILURE_DELAY);
    private final InetAddress client = address("127.0.0.1");
    private final InetAddress other = address("127.0.0.2");

    @Test
    void eachFailureInTheWindowWaitsOneSecondLongerThanTheOneBefore() {
        assertThat(failure(client)).isEqualTo(Duration.ofSeconds(1));
        assertThat(failure(client)).isEqualTo(Duration.ofSeconds(2));
        assertThat(failure(other)).as("counted per address").isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofMinutes(10));
        assertThat(failure(client)).as("older failures aged out").isEqualTo(Duration.ofSeconds(1));
        assertThat(failure(client)).isEqualTo(Duration.ofSeconds(2));
        assertThat(failure(client)).isEqualTo(Duration.ofSeconds(3));
        assertThat(failure(client)).isEqualTo(Duration.ofSeconds(4));
        assertThat(failure(client)).as("the one that locks").isEqualTo(Duration.ofSeconds(5));
        assertThat(throttle.isLocked(client)).isTrue();
    }

    @Test
    void fourFailuresDoNotLock() {
        fail(client, 4);
        assertThat(throttle.isLocked(client)).isFalse();
    }

    @Test
    void theFifthFailureLocksForFifteenMinutes() {
        fail(client, 5);
        assertThat(throttle.isLocked(client)).isTrue();
        assertThat(throttle.isLocked(other)).isFalse();
        clock.advance(Duration.ofMinutes(15).minusSeconds(1));
        assertThat(throttle.isLocked(client)).isTrue();
        clock.advance(Duration.ofSeconds(1));
        assertThat(throttle.isLocked(client)).isFalse();
    }

    @Test
    void failuresOlderThanTenMinutesDoNotCount() {
        fail(client, 4);
        clock.advance(Duration.ofMinutes(10));
        fail(client, 1);
        assertThat(throttle.isLocked(client)).isFalse();
        fail(client, 3);
        assertThat(throttle.isLocked(client)).isFalse();
        fail(client, 1);
        assertThat(throttle.isLocked(client)).isTrue();
    }

    @Test
    void slidingWindowCountsTheLastTenMinutes() {
        fail(client, 3);
        clock.advance(Duration.ofMinutes(6));
        fail(client, 1);
        clock.advance(Duration.ofMinutes(3)); // first three are 9 minutes old
        fail(client, 1);
        assertThat(throttle.isLocked(client)).isTrue();
    }

    @Test
    void afterTheLockoutTheCountStartsAfresh() {
        fail(client, 5);
        clock.advance(Duration.ofMinutes(15));
        fail(client, 4);
        assertThat(throttle.isLocked(client)).isFalse();
    }

    @Test
    void manyAddressesArePrunedOnceExpired() {
        for (int i = 0; i < 10_050; i++) {
            failure(address("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)));
        }
        clock.advance(Duration.ofMinutes(11));
        fail(client, 5);
        assertThat(throttle.isLocked(client)).isTrue();
        assertThat(throttle.isLocked(address("10.0.0.1"))).isFalse();
    }

    private void fail(InetAddress address, int times) {
        for (int i = 0; i < times; i++) {
            failure(address);
        }
    }

    /** One admitted attempt that fails; the delay it is to be answered after. */
    private Duration failure(InetAddress address) {
        try (AuthThrottle.Attempt attempt = admit(address)) {
            return attempt.failed();
        }
    }

    private AuthThrottle.Attempt admit(InetAddress address) {
        try {
            AuthThrottle.Admission admission = throttle.admit(address);
            assertThat(admission.refusal()).as("admission of %s", address).isEmpty();
            return admission.attempt().orElseThrow();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void attemptsInFlightCountAgainstTheLimit() throws InterruptedException {
        AuthThrottle wide = new AuthThrottle(
                clock, 5, AuthThrottle.DEFAULT_WINDOW, AuthThrottle.DEFAULT_LOCKOUT, Duration.ZERO, 10, Duration.ZERO);
        List<AuthThrottle.Attempt> inFlight = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            inFlight.add(wide.admit(client).attempt().orElseThrow());
        }
        assertThat(wide.admit(client).refusal())
                .as("five unchecked attempts use the five failures up")
                .contains(AuthThrottle.Refusal.LOCKED);
        inFlight.getFirst().succeeded();
        inFlight.getFirst().close();
        AuthThrottle.Admission sixth = wide.admit(client);
        assertThat(sixth.attempt()).as("a success gives its place back").isPresent();
        sixth.attempt().get().close();
        for (AuthThrottle.Attempt attempt : inFlight.subList(1, 5)) {
            attempt.failed();
            attempt.close();
        }
        assertThat(wide.isLocked(client)).as("four failures").isFalse();
        AuthThrottle.Attempt fifth = wide.admit(client).attempt().orElseThrow();
        fifth.failed();
        fifth.close();
        assertThat(wide.isLocked(client)).as("the fifth failure locks").isTrue();
    }

    @Test
    void onlyAFewChecksPerAddressRunAtOnce() throws InterruptedException {
        AuthThrottle narrow = new AuthThrottle(
                clock,
                100,
                AuthThrottle.DEFAULT_WINDOW,
                AuthThrottle.DEFAULT_LOCKOUT,
                Duration.ZERO,
                2,
                Duration.ofMillis(50));
        AuthThrottle.Attempt a = narrow.admit(client).attempt().orElseThrow();
        AuthThrottle.Attempt b = narrow.admit(client).attempt().orElseThrow();
        assertThat(narrow.admit(client).refusal()).contains(AuthThrottle.Refusal.BUSY);
        assertThat(narrow.admit(other).attempt()).as("per address").isPresent();
        a.failed();
        assertThat(narrow.admit(client).refusal())
                .as("a failure holds its place until answered")
                .contains(AuthThrottle.Refusal.BUSY);
        a.close();
        assertThat(narrow.admit(client).attempt()).isPresent();
        b.close();
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
