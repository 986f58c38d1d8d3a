package io.poolmta.server;

import java.util.Optional;

/**
 * How this server takes part in a cluster: the shared control-plane database (empty: the embedded
 * H2 database in the data directory, a single node) and this node's name (empty: the host name).
 */
public record ClusterOptions(Optional<String> database, Optional<String> node) {
    public static ClusterOptions defaults() {
        return new ClusterOptions(Optional.empty(), Optional.empty());
    }
}
