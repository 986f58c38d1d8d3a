package io.poolmta.ip;

import java.time.Instant;
import java.util.Optional;

/** A node's stored row: what it registered when it started and its latest heartbeat. */
public record NodeRecord(
        String name,
        String apiAddress,
        String smtpAddress,
        Optional<String> linkAddress,
        Instant startedAt,
        Instant heartbeat) {

    public NodeRecord withHeartbeat(Instant at) {
        return new NodeRecord(name, apiAddress, smtpAddress, linkAddress, startedAt, at);
    }
}
