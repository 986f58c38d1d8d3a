package io.poolmta.egress;

import io.poolmta.ip.Ipv4;
import io.poolmta.message.Envelope;
import java.util.Optional;

/** Chooses the source address of one delivery attempt of a message to one destination domain. */
public interface SourceSelector {
    /**
     * @param previous the address an earlier attempt of this message used: kept while it is still
     *     in the message's pool, so a message does not hop between IPs across retries
     * @param provider the mailbox provider the destination belongs to (managed pools cap per provider)
     */
    SourceSelection select(Envelope envelope, String destinationDomain, String provider, Optional<Ipv4> previous);

    /**
     * Gives back a selection that was not used (the path was paused, or the connection broke before
     * the message's turn), so it does not count against caps.
     */
    default void cancel(Envelope envelope, SourceSelection.Selected selection, String provider) {}

    /** Whether the pool a message would use has any address at all (checked at acceptance). */
    boolean hasSources(String accountId, String poolName);
}
