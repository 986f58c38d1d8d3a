package io.poolmta.routing;

import io.poolmta.delivery.SourceAddress;
import java.time.Instant;

/** The answer of source selection for one delivery attempt. */
public sealed interface SourceSelection {
    /** Send from this address. {@code poolName} is the pool it was taken from (for events). */
    record Selected(SourceAddress source, String poolName) implements SourceSelection {}

    /** No address may send now; try again at {@code until}. */
    record Delay(Instant until, String reason) implements SourceSelection {}

    /** The pool has no address at all. */
    record NoSources(String reason) implements SourceSelection {}
}
