package io.poolmta.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import io.poolmta.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The rate part of the quota gate: each node of a cluster takes an equal share of the account's rate. */
class SendQuotaGateTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:03:00Z");
    private static final Account ACCOUNT =
            new Account("111122223333", "acme", T0, true, true, false, true, new SendQuota(1_000_000, 30));

    private final MutableClock clock = new MutableClock(T0);

    private int admittedInOneSecond(SendQuotaGate gate) {
        int admitted = 0;
        for (int i = 0; i < 100; i++) {
            try {
                gate.admit(ACCOUNT, 1).accepted();
                admitted++;
            } catch (PoolMtaException e) {
                assertThat(e.kind()).isEqualTo(ErrorKind.THROTTLED);
            }
            clock.advance(Duration.ofMillis(10));
        }
        return admitted;
    }

    @Test
    void aSingleNodeTakesTheWholeRate() {
        SendQuotaGate gate = new SendQuotaGate(
                new RollingSendCount(new RollingSendCountTest.MemoryStore(), T0, true),
                new SendRateLimiter(clock),
                clock);

        // a full bucket (30) and then 30 a second
        assertThat(admittedInOneSecond(gate)).isBetween(58, 60);
    }

    @Test
    void threeNodesUpShareTheRateAndOneGoingDownGivesTheOthersMore() {
        AtomicInteger nodesUp = new AtomicInteger(3);
        SendQuotaGate gate = new SendQuotaGate(
                new RollingSendCount(new RollingSendCountTest.MemoryStore(), T0, true),
                new SendRateLimiter(clock),
                clock,
                nodesUp::get);

        assertThat(admittedInOneSecond(gate)).isBetween(18, 20); // 10 in the bucket, 10 a second
        nodesUp.set(2);
        assertThat(admittedInOneSecond(gate)).isBetween(14, 16); // 15 a second

        PoolMtaException refused = catchThrowableOfType(PoolMtaException.class, () -> {
            for (int i = 0; i < 20; i++) {
                gate.admit(ACCOUNT, 1).accepted();
            }
        });
        assertThat(refused.getMessage()).isEqualTo(SendQuotaGate.RATE_EXCEEDED);
    }
}
