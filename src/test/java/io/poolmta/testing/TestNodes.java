package io.poolmta.testing;

import io.poolmta.ip.NodeDirectory;
import io.poolmta.ip.NodeStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The directory of a test cluster, shared by its nodes and changed by the test: which node holds
 * each IP, each node's link address, and whether it is up. Each node sees it through
 * {@link #view(String)}, its own name as {@code self}. An IP no node holds is local everywhere.
 */
public final class TestNodes {
    private final Map<String, String> ipNode = new ConcurrentHashMap<>();
    private final Map<String, NodeStatus> nodes = new ConcurrentHashMap<>();

    public void place(String node, String... ips) {
        for (String ip : ips) {
            ipNode.put(ip, node);
        }
        nodes.putIfAbsent(node, status(node, Optional.empty(), true));
    }

    /** The node is up and takes hand-overs at {@code linkAddress}. */
    public void up(String node, String linkAddress) {
        nodes.put(node, status(node, Optional.of(linkAddress), true));
    }

    /** The node's heartbeat stopped: the others count it as down. */
    public void down(String node) {
        nodes.computeIfPresent(node, (n, s) -> status(n, s.linkAddress(), false));
    }

    public NodeDirectory view(String self) {
        return new NodeDirectory() {
            @Override
            public String self() {
                return self;
            }

            @Override
            public boolean isLocal(String address) {
                return nodeOf(address).map(self::equals).orElse(true);
            }

            @Override
            public Optional<String> nodeOf(String address) {
                return Optional.ofNullable(ipNode.get(address));
            }

            @Override
            public List<NodeStatus> nodes() {
                return List.copyOf(nodes.values());
            }
        };
    }

    private static NodeStatus status(String node, Optional<String> link, boolean up) {
        return new NodeStatus(node, "", "", link, Instant.now(), Instant.now(), up);
    }
}
