package io.poolmta.sim;

import java.util.NavigableMap;

/**
 * How a provider judges a source IP from its history, day by day (UTC days). A score from 0 (new or
 * forgotten) to 100 (established), replayed over the remembered days before today:
 * <ul>
 *   <li>a <em>good day</em>, with at least {@code goodDayMinimum} messages accepted and no more
 *       throttled than accepted, adds {@code gainPerGoodDay};</li>
 *   <li>an <em>idle day</em>, with nothing accepted, takes away {@code lossPerIdleDay};</li>
 *   <li>any other day (a little volume, or more throttled than accepted) changes nothing.</li>
 * </ul>
 * The replay starts at the first remembered day (score 0), at most {@code memoryDays} ago; today
 * does not count until it is over. The score is kept within 0–100 after every day.
 */
public record ReputationRules(int goodDayMinimum, double gainPerGoodDay, double lossPerIdleDay, int memoryDays) {
    public static final double MAX_SCORE = 100.0;
    public static final int DEFAULT_GOOD_DAY_MINIMUM = 50;
    public static final double DEFAULT_GAIN_PER_GOOD_DAY = 4.0;
    public static final double DEFAULT_LOSS_PER_IDLE_DAY = 4.0;
    public static final int DEFAULT_MEMORY_DAYS = 90;

    public ReputationRules {
        if (goodDayMinimum < 1) {
            throw new IllegalArgumentException("goodDayMinimum must be at least 1, was " + goodDayMinimum);
        }
        if (!(gainPerGoodDay >= 0) || !(lossPerIdleDay >= 0)) {
            throw new IllegalArgumentException("gain and loss per day must be zero or more");
        }
        if (memoryDays < 1) {
            throw new IllegalArgumentException("memoryDays must be at least 1, was " + memoryDays);
        }
    }

    public static ReputationRules defaults() {
        return new ReputationRules(
                DEFAULT_GOOD_DAY_MINIMUM, DEFAULT_GAIN_PER_GOOD_DAY, DEFAULT_LOSS_PER_IDLE_DAY, DEFAULT_MEMORY_DAYS);
    }

    /** The score at the start of {@code today} (epoch day) from the totals of earlier days. */
    double score(NavigableMap<Long, DayTotals> days, long today) {
        NavigableMap<Long, DayTotals> remembered = days.subMap(today - memoryDays, true, today, false);
        if (remembered.isEmpty()) {
            return 0.0;
        }
        double score = 0.0;
        for (long day = remembered.firstKey(); day < today; day++) {
            DayTotals totals = remembered.getOrDefault(day, DayTotals.NONE);
            if (totals.accepted() == 0) {
                score -= lossPerIdleDay;
            } else if (totals.accepted() >= goodDayMinimum && totals.throttled() <= totals.accepted()) {
                score += gainPerGoodDay;
            }
            score = Math.clamp(score, 0.0, MAX_SCORE);
        }
        return score;
    }
}
