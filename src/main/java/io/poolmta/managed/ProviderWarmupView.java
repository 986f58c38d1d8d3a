package io.poolmta.managed;

import java.util.OptionalLong;

/** One IP's warm-up towards one provider today, as reported: {@code dailyCap} empty = no cap. */
public record ProviderWarmupView(
        String provider,
        int level,
        int warmLevel,
        WarmupLevelStatus status,
        OptionalLong dailyCap,
        long sentToday,
        long lastActiveDay) {}
