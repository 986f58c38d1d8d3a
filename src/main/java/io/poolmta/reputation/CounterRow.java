package io.poolmta.reputation;

import java.time.Instant;

/** One cell of one bucket: what the counters hold and the database stores. */
public record CounterRow(Granularity granularity, Instant start, CounterKey key, Counts counts) {}
