package io.poolmta.egress;

import java.time.Instant;
import java.util.Optional;

/** The answer of source selection for one delivery attempt. */
public sealed interface SourceSelection {
    /**
     * Send from this address. {@code poolName} is the pool it was taken from (for events);
     * {@code overflowFrom} names the message's own pool when warm-up caps sent it to the shared pool.
     */
    record Selected(SourceAddress source, String poolName, Optional<String> overflowFrom) implements SourceSelection {
        public Selected(SourceAddress source, String poolName) {
            this(source, poolName, Optional.empty());
        }
    }

    /** No address may send now; try again at {@code until}. */
    record Delay(Instant until, String reason) implements SourceSelection {}

    /**
     * The pool has no address on this node but has some on {@code node}, which is up: the message
     * is handed over to that node, which sends it from its own addresses of the pool.
     */
    record HandOver(String node) implements SourceSelection {}

    /** The pool has no address at all (or none on this node, and the nodes that hold its addresses are down). */
    record NoSources(String reason) implements SourceSelection {}
}
