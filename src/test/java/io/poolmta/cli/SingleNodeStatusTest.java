package io.poolmta.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.poolmta.ip.ClusterNodes;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code status} on a server alone on its embedded database, whose heartbeat is kept in memory:
 * however long it runs, the node shows UP with its latest heartbeat.
 */
class SingleNodeStatusTest {
    @TempDir
    Path dir;

    private final MutableClock clock = MutableClock.startingNow();
    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(dir, clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private String status() {
        CliRun run = CliRun.asOperator(server, "status");
        assertThat(run.exit()).as(run.err()).isZero();
        return run.out();
    }

    private String nodeLine() {
        String self = server.server().nodes().self();
        return status().lines()
                .filter(l -> l.startsWith(self + " "))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void aNodeAloneStaysUpAsItsHeartbeatGoesOn() {
        assertThat(nodeLine()).contains("UP", server.url(), server.smtpAddress());

        // a minute later by the server's clock: down until its next heartbeat, then up again
        clock.advance(ClusterNodes.DOWN_AFTER.multipliedBy(4));
        await().atMost(ClusterNodes.HEARTBEAT.multipliedBy(3))
                .pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(nodeLine()).contains(" UP "));
    }
}
