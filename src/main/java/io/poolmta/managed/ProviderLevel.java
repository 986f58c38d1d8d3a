package io.poolmta.managed;

/**
 * The warm-up position of one IP towards one provider on one day (UTC epoch day): its day
 * {@code level} (an index into the standard plan's cap table), the messages {@code sent} that day,
 * and the last day anything was sent to the provider ({@link #NEVER} if nothing ever was).
 */
public record ProviderLevel(int level, long day, long sent, long lastActiveDay) {
    public static final long NEVER = Long.MIN_VALUE;

    public ProviderLevel {
        if (level < 0 || sent < 0) {
            throw new IllegalArgumentException("level and sent must be non-negative");
        }
    }

    public static ProviderLevel fresh(long day) {
        return new ProviderLevel(0, day, 0, NEVER);
    }

    ProviderLevel plusOne() {
        return new ProviderLevel(level, day, sent + 1, day);
    }

    ProviderLevel minusOne() {
        return sent == 0 ? this : new ProviderLevel(level, day, sent - 1, lastActiveDay);
    }
}
