package io.poolmta.reputation;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Counter buckets: UTC hours and UTC days. */
public enum Granularity {
    HOUR(Duration.ofHours(1)),
    DAY(Duration.ofDays(1));

    private final Duration length;

    Granularity(Duration length) {
        this.length = length;
    }

    public Duration length() {
        return length;
    }

    /** The start of the bucket {@code t} falls in. */
    public Instant start(Instant t) {
        return t.truncatedTo(this == HOUR ? ChronoUnit.HOURS : ChronoUnit.DAYS);
    }
}
