package io.poolmta.ip;

import java.util.List;
import java.util.Optional;

/**
 * Read-only view of the nodes sharing the control plane and of which node each sending IP lives
 * on. On the embedded database there is one node and every IP is local, whatever its record says;
 * on a shared database an IP belongs to the node named in its record. Answers come from memory or
 * cached reads: source selection asks for every delivery attempt.
 */
public interface NodeDirectory {
    /** This node's name. */
    String self();

    /** Whether this node sends from {@code address} (a registered IP on this node). */
    boolean isLocal(String address);

    /** The node a registered IP lives on; empty when the address is not registered (or has no node). */
    Optional<String> nodeOf(String address);

    /** Every node that has registered, by name, each up or down by the age of its last heartbeat. */
    List<NodeStatus> nodes();

    /** The named node's state, empty when the directory does not know it. */
    default Optional<NodeStatus> node(String name) {
        return nodes().stream().filter(n -> n.name().equals(name)).findFirst();
    }
}
