package io.poolmta.reputation;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/** Where counters and enforcement records are kept between restarts. */
public interface ReputationStore {
    /** Rows of the granularity whose bucket starts at or after {@code since}. */
    List<CounterRow> counters(Granularity granularity, Instant since);

    /** Writes the rows' values, replacing what the same cells held. */
    void saveCounters(Collection<CounterRow> rows);

    /** Deletes rows of the granularity whose bucket starts before {@code cutoff}. */
    void deleteCountersBefore(Granularity granularity, Instant cutoff);

    List<EnforcementRecord> enforcement();

    void saveEnforcement(EnforcementRecord record);
}
