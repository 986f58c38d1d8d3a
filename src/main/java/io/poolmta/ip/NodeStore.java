package io.poolmta.ip;

import java.time.Instant;
import java.util.List;

/** Durable node rows, shared by every node of a cluster. Lists are in name order. */
public interface NodeStore {
    /** Inserts the node, or replaces its addresses, start and heartbeat (its link address stays). */
    void register(NodeRecord node);

    void heartbeat(String name, Instant at);

    /** Removes every node but {@code name}: the embedded database has one node. */
    void removeAllBut(String name);

    List<NodeRecord> all();
}
