package io.poolmta.ip;

import java.util.List;
import java.util.Optional;

/**
 * A read-only view of the cluster's nodes: which node this is, which node can bind each sending
 * address, and every node's state. A server that runs alone is a cluster of one ({@link SingleNode}):
 * every address is local and mail never moves between nodes.
 * <ul>
 *   <li>{@link #self()} is this node's name.</li>
 *   <li>{@link #isLocal} is true when this node can send from {@code address} (the address's node
 *       is this one); an address no node claims is local, so a single node behaves as today.</li>
 *   <li>{@link #nodeOf} names the node an address belongs to, empty when no node claims it.</li>
 *   <li>{@link #nodes()} lists every node, this one included, with its link address and whether
 *       it is up (its heartbeat is recent).</li>
 * </ul>
 * Implementations are safe for concurrent use and answer from memory (source selection asks them
 * for every delivery attempt).
 */
public interface NodeDirectory {
    String self();

    boolean isLocal(String address);

    Optional<String> nodeOf(String address);

    List<NodeStatus> nodes();

    /** The named node's state, empty when the directory does not know it. */
    default Optional<NodeStatus> node(String name) {
        return nodes().stream().filter(n -> n.name().equals(name)).findFirst();
    }
}
