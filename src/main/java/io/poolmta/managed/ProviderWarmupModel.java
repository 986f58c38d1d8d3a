package io.poolmta.managed;

import java.util.List;
import java.util.OptionalLong;

/**
 * The rules of per-provider warm-up for managed IPs (pure; no clock, no state):
 * <ul>
 *   <li>an IP's daily cap towards a provider is the standard plan's cap of its day level
 *       ({@code caps[level]}: 200, 227, … 50,000); level {@link #warmLevel()} (one past the table)
 *       is WARM: no cap;</li>
 *   <li>a day on which at least {@link #ADVANCE_SHARE} of that day's cap was sent to the provider
 *       raises the level by one;</li>
 *   <li>a day with nothing sent to the provider lowers it by {@link #FALLBACK_PER_IDLE_DAY}, except
 *       the first {@link #IDLE_GRACE_DAYS} idle day(s) after the last activity; never below 0;</li>
 *   <li>days in between are days with some volume below the share: the level holds.</li>
 * </ul>
 * An IP may be WARM for one provider and cold for another.
 */
public final class ProviderWarmupModel {
    public static final double ADVANCE_SHARE = 0.5;
    public static final int IDLE_GRACE_DAYS = 1;
    public static final int FALLBACK_PER_IDLE_DAY = 2;
    /** An IP whose level towards a provider is below this is in its first days with it. */
    public static final int YOUNG_BELOW_LEVEL = 7;

    private final List<Long> caps;

    public ProviderWarmupModel(List<Long> caps) {
        if (caps.isEmpty()) {
            throw new IllegalArgumentException("at least one daily cap");
        }
        this.caps = List.copyOf(caps);
    }

    /** The level at which an IP is warm towards a provider (no cap). */
    public int warmLevel() {
        return caps.size();
    }

    /** Today's cap at this level; empty when warm. */
    public OptionalLong cap(int level) {
        return level >= caps.size() ? OptionalLong.empty() : OptionalLong.of(caps.get(level));
    }

    public boolean young(int level) {
        return level < YOUNG_BELOW_LEVEL;
    }

    /** The position on {@code today}, closing the days since {@code state.day()} by the rules above. */
    public ProviderLevel rollTo(ProviderLevel state, long today) {
        if (today <= state.day()) {
            return state;
        }
        int level = state.level();
        long lastActive = state.lastActiveDay();
        long firstIdle = state.day();
        if (state.sent() > 0) {
            lastActive = state.day();
            firstIdle = state.day() + 1;
            OptionalLong cap = cap(level);
            if (cap.isEmpty() || state.sent() >= Math.ceil(cap.getAsLong() * ADVANCE_SHARE)) {
                level = Math.min(level + 1, warmLevel());
            }
        }
        long lastIdle = today - 1;
        long firstPenalised =
                lastActive == ProviderLevel.NEVER ? firstIdle : Math.max(firstIdle, lastActive + IDLE_GRACE_DAYS + 1);
        long penalised = Math.max(0, lastIdle - firstPenalised + 1);
        level = (int) Math.max(0, level - Math.min(penalised, warmLevel()) * FALLBACK_PER_IDLE_DAY);
        return new ProviderLevel(level, today, 0, lastActive);
    }

    public WarmupLevelStatus status(int level) {
        return level >= warmLevel()
                ? WarmupLevelStatus.WARM
                : level == 0 ? WarmupLevelStatus.COLD : WarmupLevelStatus.WARMING;
    }
}
