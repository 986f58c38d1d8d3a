package io.poolmta.delivery;

import io.poolmta.spool.SpooledMessage;
import java.io.IOException;

/**
 * Where the delivery engine hands a message whose pool has no address on this node: another node
 * of the cluster (the node link implements it). {@link #handOver} returns only once that node's
 * spool holds the message on stable storage; it throws when that is not known (refused, no
 * answer, connection lost), and then the message stays here and is tried again later. A lost
 * answer after the other node stored the message makes a duplicate, never a loss (at least once).
 */
@FunctionalInterface
public interface NodeHandOver {
    /**
     * @param message the envelope (with only the recipients to hand over) and the content bytes
     * @param attempts the delivery attempts made here so far
     */
    void handOver(String node, SpooledMessage message, int attempts) throws IOException;

    /** A single node: there is nobody to hand over to. */
    NodeHandOver NONE = (node, message, attempts) -> {
        throw new IOException("this server is not in a cluster: there is no node " + node);
    };
}
