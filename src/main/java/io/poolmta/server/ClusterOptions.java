package io.poolmta.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.ip.ClusterNodes;
import io.poolmta.store.Database;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * How this server takes part in a cluster, with its config-file keys: {@code database} (the shared
 * control-plane database, {@code postgresql://HOST:PORT/DB?user=NAME&password=SECRET}; empty: the
 * embedded H2 database in the data directory, a single node), {@code node} (this node's name;
 * empty: the host name) and {@code nodeLink} (HOST:PORT of this node's node link, where other
 * nodes hand it the mail of pools whose IPs are here; empty: no node link, mail never moves
 * between nodes).
 */
public record ClusterOptions(Optional<String> database, Optional<String> node, Optional<HostPort> nodeLink) {
    static final Set<String> KEYS = Set.of("database", "node", "nodeLink");

    public static ClusterOptions defaults() {
        return new ClusterOptions(Optional.empty(), Optional.empty(), Optional.empty());
    }

    public ClusterOptions withNodeLink(HostPort address) {
        return new ClusterOptions(database, node, Optional.of(address));
    }

    /** A blank URL means the embedded database. */
    public ClusterOptions withDatabase(String url) {
        if (!url.isBlank()) {
            Database.checkUrl(url);
        }
        return new ClusterOptions(url.isBlank() ? Optional.empty() : Optional.of(url.strip()), node, nodeLink);
    }

    public ClusterOptions withNode(String name) {
        return new ClusterOptions(database, Optional.of(ClusterNodes.checkName(name)), nodeLink);
    }

    /** This node's name: the configured one, else the host name. */
    public String nodeName() {
        return node.orElseGet(ClusterOptions::hostName);
    }

    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName();
            int dot = name.indexOf('.');
            String shortName = dot > 0 ? name.substring(0, dot) : name;
            return ClusterNodes.checkName(shortName);
        } catch (UnknownHostException | IllegalArgumentException e) {
            return "localhost";
        }
    }

    /** Layers the keys present in a config file's root object over these. */
    ClusterOptions from(JsonNode root, Path file) {
        ClusterOptions options = this;
        JsonNode database = root.get("database");
        if (database != null) {
            if (!database.isTextual()) {
                throw new IllegalArgumentException(
                        file + ": 'database' must be a string, postgresql://HOST:PORT/DATABASE?user=...");
            }
            options = options.withDatabase(database.textValue());
        }
        JsonNode node = root.get("node");
        if (node != null) {
            if (!node.isTextual() || node.textValue().isBlank()) {
                throw new IllegalArgumentException(file + ": 'node' must be a node name");
            }
            options = options.withNode(node.textValue());
        }
        JsonNode link = root.get("nodeLink");
        if (link != null) {
            if (!link.isTextual() || link.textValue().isBlank()) {
                throw new IllegalArgumentException(file + ": 'nodeLink' must be HOST:PORT");
            }
            options = options.withNodeLink(HostPort.parse(link.textValue()));
        }
        return options;
    }
}
