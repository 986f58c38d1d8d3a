package io.poolmta.server;

import java.util.Optional;

/**
 * How this server takes part in a cluster: the shared control-plane database (empty: the embedded
 * H2 database in the data directory, a single node), this node's name (empty: the host name) and
 * the HOST:PORT of its node link (config key {@code nodeLink}, flag {@code --node-link}; empty: no
 * node link, mail never moves between nodes), where other nodes hand it the mail of pools whose
 * IPs are here.
 */
public record ClusterOptions(Optional<String> database, Optional<String> node, Optional<HostPort> nodeLink) {
    public static ClusterOptions defaults() {
        return new ClusterOptions(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public ClusterOptions withNodeLink(HostPort address) {
        return new ClusterOptions(database, node, Optional.of(address));
    }
}
