package io.poolmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.MutableClock;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code poolmta advisor [ACCOUNT]} against a running server, through picocli as the launcher runs it. */
class AdvisorCommandTest {
    @TempDir
    static Path dir;

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir.resolve("data"), MutableClock.startingNow());
        TestAccount acme = server.createAccount("acme");
        server.leaseIps(acme, "127.0.0.81");
        server.createAccount("quiet");
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void oneAccountWithItsReasonsAndItsIpsPerProvider() {
        CliRun run = poolmta("advisor", "acme", "--threshold", "50");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("acme: NO_TRAFFIC")
                .contains("  - nothing was sent in the last 30 days: nothing to judge")
                .containsPattern("127\\.0\\.0\\.81 +google +COOLING +0")
                .contains("an IP cools for a provider it never sent 50 in one day")
                .doesNotContain("quiet");
    }

    @Test
    void everyAccountAsJson() {
        CliRun run = poolmta("advisor", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"Account\" : \"acme\"").contains("\"Account\" : \"quiet\"");
    }

    @Test
    void anUnknownAccountIsAnError() {
        CliRun run = poolmta("advisor", "nobody");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("Account nobody does not exist.");
    }

    static CliRun poolmta(String... args) {
        return CliRun.asOperator(server, args);
    }
}
