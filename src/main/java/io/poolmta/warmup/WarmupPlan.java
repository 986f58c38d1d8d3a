package io.poolmta.warmup;

import io.poolmta.common.PoolMtaException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The time line of standard warm-up: an IP moves from 0% to 100% over {@link #DEFAULT_LENGTH}
 * (45 days, as SES), by time rather than by volume. 100% is DONE. Setting a percentage moves the
 * IP's position on the time line; it keeps advancing from there.
 *
 * <p>Each day of the plan has a daily cap: day 1 (the first 24 hours) allows
 * {@link #FIRST_DAY_CAP} messages, and the cap grows by the same factor every day to
 * {@link #FINAL_DAY_CAP} on day 45 (200, 227, 257, 291, … 44,103, 50,000). A DONE IP has no cap. The
 * table is data: another plan can be built with {@link #WarmupPlan(Duration, List)}.
 */
public final class WarmupPlan {
    public static final Duration DEFAULT_LENGTH = Duration.ofDays(45);
    public static final long FIRST_DAY_CAP = 200;
    public static final long FINAL_DAY_CAP = 50_000;
    private static final Duration DAY = Duration.ofDays(1);

    private final Duration length;
    private final List<Long> dailyCaps;

    public WarmupPlan(Duration length) {
        this(
                length,
                geometric(
                        Math.max(1, (int) Math.ceilDiv(length.toMillis(), DAY.toMillis())),
                        FIRST_DAY_CAP,
                        FINAL_DAY_CAP));
    }

    /** @param dailyCaps the cap of each day of the plan, in order; one entry per started day of {@code length} */
    public WarmupPlan(Duration length, List<Long> dailyCaps) {
        if (length.isNegative() || length.isZero()) {
            throw new IllegalArgumentException("warm-up length must be positive");
        }
        if (dailyCaps.isEmpty() || dailyCaps.stream().anyMatch(c -> c == null || c < 0)) {
            throw new IllegalArgumentException("daily caps must be non-negative and at least one");
        }
        this.length = length;
        this.dailyCaps = List.copyOf(dailyCaps);
    }

    /** {@code days} caps growing by a constant factor from {@code first} to {@code last}. */
    public static List<Long> geometric(int days, long first, long last) {
        List<Long> caps = new ArrayList<>();
        for (int d = 0; d < days; d++) {
            double f = days == 1 ? 1 : (double) d / (days - 1);
            caps.add(Math.round(first * Math.pow((double) last / first, f)));
        }
        return caps;
    }

    public List<Long> dailyCaps() {
        return dailyCaps;
    }

    /**
     * How many messages the IP may send on its current plan day; empty when it is DONE (no cap).
     * Day 1 is the first 24 hours after the plan's start (its anchor).
     */
    public OptionalLong dailyCap(WarmupState state, Instant at) {
        Instant now = state.planTime(at);
        if (state.complete() || progress(state, now).status() == WarmupStatus.DONE) {
            return OptionalLong.empty();
        }
        long day = Math.max(0, Duration.between(state.anchor(), now).toMillis()) / DAY.toMillis();
        return OptionalLong.of(dailyCaps.get((int) Math.min(day, dailyCaps.size() - 1)));
    }

    /**
     * When the IP's current day window ends (its count starts again then). Windows are 24 hours from
     * the plan's start; while paused, 24 hours from the pause, each with the paused day's cap.
     */
    public Instant dayEnds(WarmupState state, Instant at) {
        Instant origin = state.pausedAt().orElse(state.anchor());
        long elapsed = Math.max(0, Duration.between(origin, at).toMillis());
        return origin.plusMillis((elapsed / DAY.toMillis() + 1) * DAY.toMillis());
    }

    public static WarmupPlan standard() {
        return new WarmupPlan(DEFAULT_LENGTH);
    }

    public Duration length() {
        return length;
    }

    public WarmupProgress progress(WarmupState state, Instant at) {
        Instant now = state.planTime(at);
        if (state.complete()) {
            return new WarmupProgress(WarmupStatus.DONE, 100);
        }
        long elapsed = Math.max(0, Duration.between(state.anchor(), now).toMillis());
        long percent = Math.min(100, elapsed * 100 / length.toMillis());
        return percent >= 100
                ? new WarmupProgress(WarmupStatus.DONE, 100)
                : new WarmupProgress(WarmupStatus.IN_PROGRESS, (int) percent);
    }

    /** The state that puts an IP at {@code percentage} of the plan now; 100 means complete. */
    public WarmupState at(int percentage, Instant now) {
        if (percentage < 0 || percentage > 100) {
            throw PoolMtaException.badRequest("WarmupPercentage must be between 0 and 100, got " + percentage + ".");
        }
        if (percentage == 100) {
            return WarmupState.done(now);
        }
        // Round up: progress() floors, so a floored offset would read back one percent low
        // whenever the plan's length in milliseconds is not a multiple of 100.
        long back = Math.ceilDiv(length.toMillis() * percentage, 100);
        return WarmupState.startingAt(now.minusMillis(back));
    }
}
