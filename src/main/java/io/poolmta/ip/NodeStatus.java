package io.poolmta.ip;

import java.time.Instant;
import java.util.Optional;

/**
 * One node as the others see it: the addresses it serves (API URL, SMTP submission HOST:PORT), the
 * address other nodes hand it mail on (once it has one), when it started, its last heartbeat, and
 * whether that heartbeat is recent enough to call it up.
 */
public record NodeStatus(
        String name,
        String apiAddress,
        String smtpAddress,
        Optional<String> linkAddress,
        Instant startedAt,
        Instant lastHeartbeat,
        boolean up) {}
