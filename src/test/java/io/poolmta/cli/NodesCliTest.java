package io.poolmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.EmbeddedPostgresFixture;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ip add}, {@code ip list} and {@code status} on a node of a PostgreSQL cluster. */
class NodesCliTest {
    @TempDir
    Path dir;

    private TestServer server;

    @BeforeEach
    void start() {
        String database = EmbeddedPostgresFixture.freshDatabase();
        server = TestServer.startConfigured(
                dir,
                MutableClock.startingNow(),
                config -> config.withCluster(
                        config.cluster().withDatabase(database).withNode("mta-a")));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CliRun poolmta(String... args) {
        return CliRun.asOperator(server, args);
    }

    @Test
    void ipsShowTheirNodeAndStatusShowsEveryNode() {
        server.createAccount("acme");
        CliRun add = poolmta("ip", "add", "127.0.0.41", "--account", "acme");
        assertThat(add.exit()).as(add.err()).isZero();

        CliRun list = poolmta("ip", "list");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out().lines().findFirst().orElseThrow()).contains("NODE");
        assertThat(list.out().lines().filter(l -> l.startsWith("127.0.0.41")))
                .singleElement()
                .asString()
                .contains("acme", "mta-a");

        CliRun status = poolmta("status");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("NODE", "LAST HEARTBEAT");
        assertThat(status.out().lines().filter(l -> l.startsWith("mta-a ")))
                .singleElement()
                .asString()
                .contains("UP", server.url(), server.smtpAddress());
    }
}
