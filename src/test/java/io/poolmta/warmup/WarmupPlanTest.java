package io.poolmta.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The 45-day, time-based warm-up line of standard dedicated IPs. */
class WarmupPlanTest {
    private static final Instant START = Instant.parse("2026-03-01T08:00:00Z");
    /** floor(day * 100 / 45) for day 0..45: the percentage SES-style warm-up reports at each day. */
    private static final int[] BY_DAY = {
        0, 2, 4, 6, 8, 11, 13, 15, 17, 20, 22, 24, 26, 28, 31, 33, 35, 37, 40, 42, 44, 46, 48, 51, 53, 55, 57, 60, 62,
        64, 66, 68, 71, 73, 75, 77, 80, 82, 84, 86, 88, 91, 93, 95, 97, 100
    };

    private final WarmupPlan plan = WarmupPlan.standard();

    @Test
    void theStandardPlanLastsFortyFiveDays() {
        assertThat(WarmupPlan.DEFAULT_LENGTH).isEqualTo(Duration.ofDays(45));
        assertThat(plan.length()).isEqualTo(Duration.ofDays(45));
    }

    @Test
    void aNewIpStartsAtZeroInProgress() {
        assertThat(plan.progress(WarmupState.startingAt(START), START))
                .isEqualTo(new WarmupProgress(WarmupStatus.IN_PROGRESS, 0));
    }

    @Test
    void percentageRisesWithTimeDayByDay() {
        WarmupState state = WarmupState.startingAt(START);
        for (int day = 0; day < 45; day++) {
            assertThat(plan.progress(state, START.plus(Duration.ofDays(day))))
                    .as("day %d", day)
                    .isEqualTo(new WarmupProgress(WarmupStatus.IN_PROGRESS, BY_DAY[day]));
        }
        assertThat(plan.progress(state, START.plus(Duration.ofDays(45))))
                .isEqualTo(new WarmupProgress(WarmupStatus.DONE, 100));
    }

    @Test
    void knownPointsOnTheLine() {
        WarmupState state = WarmupState.startingAt(START);
        assertThat(plan.progress(state, START.plus(Duration.ofDays(9))).percentage())
                .isEqualTo(20);
        assertThat(plan.progress(state, START.plus(Duration.ofHours(22 * 24 + 12)))
                        .percentage())
                .isEqualTo(50);
        assertThat(plan.progress(state, START.plus(Duration.ofDays(36))).percentage())
                .isEqualTo(80);
        // within a day the percentage moves too: 2.22% a day
        assertThat(plan.progress(state, START.plus(Duration.ofHours(12))).percentage())
                .isEqualTo(1);
    }

    @Test
    void staysInProgressUntilTheVeryEndThenDoneForever() {
        WarmupState state = WarmupState.startingAt(START);
        Instant end = START.plus(Duration.ofDays(45));

        assertThat(plan.progress(state, end.minusMillis(1)))
                .isEqualTo(new WarmupProgress(WarmupStatus.IN_PROGRESS, 99));
        assertThat(plan.progress(state, end)).isEqualTo(new WarmupProgress(WarmupStatus.DONE, 100));
        assertThat(plan.progress(state, end.plus(Duration.ofDays(400))))
                .isEqualTo(new WarmupProgress(WarmupStatus.DONE, 100));
    }

    @Test
    void aClockBeforeTheStartCountsAsZero() {
        assertThat(plan.progress(WarmupState.startingAt(START), START.minus(Duration.ofDays(3))))
                .isEqualTo(new WarmupProgress(WarmupStatus.IN_PROGRESS, 0));
    }

    @Test
    void aCompleteStateIsDoneWhateverTheTime() {
        WarmupState done = WarmupState.done(START);
        for (Instant when : List.of(START, START.minus(Duration.ofDays(1)), START.plus(Duration.ofDays(1)))) {
            assertThat(plan.progress(done, when)).isEqualTo(new WarmupProgress(WarmupStatus.DONE, 100));
        }
    }

    @Test
    void atHundredIsComplete() {
        WarmupState state = plan.at(100, START);

        assertThat(state.complete()).isTrue();
        assertThat(plan.progress(state, START)).isEqualTo(new WarmupProgress(WarmupStatus.DONE, 100));
    }

    @Test
    void atZeroRestartsTheLineNow() {
        WarmupState state = plan.at(0, START);

        assertThat(state).isEqualTo(WarmupState.startingAt(START));
        assertThat(plan.progress(state, START)).isEqualTo(new WarmupProgress(WarmupStatus.IN_PROGRESS, 0));
    }

    @Test
    void everyPercentageRoundTripsThroughProgress() {
        for (int p = 0; p < 100; p++) {
            WarmupState state = plan.at(p, START);
            assertThat(state.complete()).isFalse();
            assertThat(plan.progress(state, START))
                    .as("at(%d)", p)
                    .isEqualTo(new WarmupProgress(WarmupStatus.IN_PROGRESS, p));
        }
    }

    @Test
    void everyPercentageRoundTripsForPlansOfOtherLengths() {
        for (Duration length : List.of(
                Duration.ofDays(1),
                Duration.ofHours(7),
                Duration.ofMillis(4_321),
                Duration.ofMillis(100),
                Duration.ofSeconds(45).plusMillis(7))) {
            WarmupPlan other = new WarmupPlan(length);
            for (int p = 0; p < 100; p++) {
                assertThat(other.progress(other.at(p, START), START))
                        .as("%s at(%d)", length, p)
                        .isEqualTo(new WarmupProgress(WarmupStatus.IN_PROGRESS, p));
            }
        }
    }

    @Test
    void aSetPercentageKeepsAdvancingWithTime() {
        WarmupState state = plan.at(50, START);

        assertThat(state.anchor()).isEqualTo(START.minus(Duration.ofHours(22 * 24 + 12)));
        assertThat(plan.progress(state, START.plus(Duration.ofDays(9))))
                .isEqualTo(new WarmupProgress(WarmupStatus.IN_PROGRESS, 70));
        assertThat(plan.progress(state, START.plus(Duration.ofHours(22 * 24 + 12))))
                .isEqualTo(new WarmupProgress(WarmupStatus.DONE, 100));
    }

    @Test
    void percentagesOutsideZeroToHundredAreBadRequests() {
        for (int bad : new int[] {-1, 101, -100, 1000, Integer.MIN_VALUE, Integer.MAX_VALUE}) {
            PoolMtaException error = catchThrowableOfType(PoolMtaException.class, () -> plan.at(bad, START));
            assertThat(error).as("at(%d)", bad).isNotNull();
            assertThat(error.kind()).isEqualTo(ErrorKind.BAD_REQUEST);
            assertThat(error.getMessage()).contains("WarmupPercentage").contains(String.valueOf(bad));
        }
    }

    @Test
    void lengthMustBePositive() {
        assertThatThrownBy(() -> new WarmupPlan(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new WarmupPlan(Duration.ofDays(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new WarmupPlan(Duration.ofMillis(1)).length()).isEqualTo(Duration.ofMillis(1));
    }

    @Test
    void notApplicableIsMinusOne() {
        assertThat(WarmupProgress.NOT_APPLICABLE).isEqualTo(new WarmupProgress(WarmupStatus.NOT_APPLICABLE, -1));
    }

    @Test
    void aNewIpWalksThroughAllFortyFiveDailyCapsToDone() {
        WarmupPlan plan = WarmupPlan.standard();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        WarmupState state = WarmupState.startingAt(start);
        long previous = 0;
        for (int day = 1; day <= 45; day++) {
            Instant noon = start.plus(Duration.ofDays(day - 1)).plus(Duration.ofHours(12));
            long cap = plan.dailyCap(state, noon).orElseThrow();
            if (day == 1) {
                assertThat(cap).isEqualTo(200);
            }
            assertThat(cap).as("day %d", day).isGreaterThan(previous);
            assertThat(plan.progress(state, noon).status()).isEqualTo(WarmupStatus.IN_PROGRESS);
            previous = cap;
        }
        assertThat(previous).isEqualTo(50_000);
        Instant after = start.plus(Duration.ofDays(45));
        assertThat(plan.dailyCap(state, after)).isEmpty();
        assertThat(plan.progress(state, after)).isEqualTo(new WarmupProgress(WarmupStatus.DONE, 100));
        assertThat(plan.dailyCap(WarmupState.done(start), start)).isEmpty();
    }

    @Test
    void theDayWindowEndsTwentyFourHoursAfterItStarts() {
        WarmupPlan plan = WarmupPlan.standard();
        Instant start = Instant.parse("2026-01-01T10:00:00Z");
        WarmupState state = WarmupState.startingAt(start);

        assertThat(plan.dayEnds(state, start.plusSeconds(5))).isEqualTo(start.plus(Duration.ofDays(1)));
        assertThat(plan.dayEnds(state, start.plus(Duration.ofHours(30)))).isEqualTo(start.plus(Duration.ofDays(2)));
    }

    @Test
    void aPausedWarmupStandsStillAndGoesOnAfterResume() {
        WarmupPlan plan = WarmupPlan.standard();
        Instant start = Instant.parse("2026-01-01T00:00:00Z");
        Instant day10 = start.plus(Duration.ofDays(9)).plusSeconds(3600);
        WarmupState paused = WarmupState.startingAt(start).pause(day10);
        long capDay10 = plan.dailyCap(WarmupState.startingAt(start), day10).orElseThrow();

        Instant later = day10.plus(Duration.ofDays(5));
        assertThat(plan.progress(paused, later).percentage()).isEqualTo(20);
        assertThat(plan.dailyCap(paused, later)).hasValue(capDay10);
        // windows keep rolling daily from the pause, each with the same cap
        assertThat(plan.dayEnds(paused, later.plusSeconds(10))).isEqualTo(day10.plus(Duration.ofDays(6)));

        WarmupState resumed = paused.resume(later);
        assertThat(resumed.paused()).isFalse();
        assertThat(plan.progress(resumed, later).percentage()).isEqualTo(20);
        assertThat(plan.progress(resumed, later.plus(Duration.ofDays(9))).percentage())
                .isEqualTo(40);
        assertThat(WarmupState.done(start).pause(later).paused()).isFalse();
    }
}
