package io.poolmta.ip;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One node of a cluster as the directory sees it: its name, its API and SMTP addresses
 * (HOST:PORT), the HOST:PORT of its node link (empty when it takes no hand-overs), its last
 * heartbeat and whether it counts as up.
 */
public record NodeStatus(
        String name,
        String apiAddress,
        String smtpAddress,
        Optional<String> linkAddress,
        Instant lastHeartbeat,
        boolean up) {
    public NodeStatus {
        Objects.requireNonNull(name);
        Objects.requireNonNull(apiAddress);
        Objects.requireNonNull(smtpAddress);
        Objects.requireNonNull(linkAddress);
        Objects.requireNonNull(lastHeartbeat);
    }
}
