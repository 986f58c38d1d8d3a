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

    /** The pool has no address at all. */
    record NoSources(String reason) implements SourceSelection {}
}
