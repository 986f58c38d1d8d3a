package io.poolmta.submission;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.MutableClock;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Each failure within ten minutes is answered a second later than the one before; the fifth locks an IP out of AUTH for fifteen minutes. */
class AuthThrottleTest {
    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final AuthThrottle throttle = new AuthThrottle(clock, SubmissionSettings.DEFAULT_AUTH_FAILURE_DELAY);
    private final InetAddress client = address("127.0.0.1");
    private final InetAddress other = address("127.0.0.2");

    @Test
    void eachFailureInTheWindowWaitsOneSecondLongerThanTheOneBefore() {
        assertThat(throttle.recordFailure(client)).isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.recordFailure(client)).isEqualTo(Duration.ofSeconds(2));
        assertThat(throttle.recordFailure(other)).as("counted per address").isEqualTo(Duration.ofSeconds(1));
        clock.advance(Duration.ofMinutes(10));
        assertThat(throttle.recordFailure(client)).as("older failures aged out").isEqualTo(Duration.ofSeconds(1));
        assertThat(throttle.recordFailure(client)).isEqualTo(Duration.ofSeconds(2));
        assertThat(throttle.recordFailure(client)).isEqualTo(Duration.ofSeconds(3));
        assertThat(throttle.recordFailure(client)).isEqualTo(Duration.ofSeconds(4));
        assertThat(throttle.recordFailure(client)).as("the one that locks").isEqualTo(Duration.ofSeconds(5));
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
            throttle.recordFailure(address("10." + (i >> 16 & 255) + "." + (i >> 8 & 255) + "." + (i & 255)));
        }
        clock.advance(Duration.ofMinutes(11));
        fail(client, 5);
        assertThat(throttle.isLocked(client)).isTrue();
        assertThat(throttle.isLocked(address("10.0.0.1"))).isFalse();
    }

    private void fail(InetAddress address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.recordFailure(address);
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }
}
