package io.poolmta.ip;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The directory of a server that runs alone: one node, always up, and every address is its own,
 * so source selection and delivery behave exactly as without a cluster.
 */
public record SingleNode(String self) implements NodeDirectory {
    @Override
    public boolean isLocal(String address) {
        return true;
    }

    @Override
    public Optional<String> nodeOf(String address) {
        return Optional.of(self);
    }

    @Override
    public List<NodeStatus> nodes() {
        return List.of(new NodeStatus(self, "", "", Optional.empty(), Instant.EPOCH, Instant.EPOCH, true));
    }
}
