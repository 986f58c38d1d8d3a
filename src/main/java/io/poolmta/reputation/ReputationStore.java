package io.poolmta.reputation;

import java.time.Instant;
import java.util.Collection;
import java.util.List;

/**
 * Where counters and enforcement records are kept between restarts. Counters are kept per node:
 * each node writes its own cells and reads the other nodes' to count cluster-wide.
 */
public interface ReputationStore {
    /** Another node's cell, with the node's name. */
    record NodeRow(String node, CounterRow row) {}

    /** This node's rows of the granularity whose bucket starts at or after {@code since}. */
    List<CounterRow> counters(Granularity granularity, Instant since);

    /** The other nodes' rows of the granularity whose bucket starts at or after {@code since}. */
    List<NodeRow> othersCounters(Granularity granularity, Instant since);

    /** The other nodes' rows they wrote at or after {@code updatedSince}, by their clocks. */
    List<NodeRow> othersChangedSince(Instant updatedSince);

    /** Writes this node's values of the rows, replacing what the same cells held. */
    void saveCounters(Collection<CounterRow> rows);

    /** Deletes every node's rows of the granularity whose bucket starts before {@code cutoff}. */
    void deleteCountersBefore(Granularity granularity, Instant cutoff);

    List<EnforcementRecord> enforcement();

    void saveEnforcement(EnforcementRecord record);
}
