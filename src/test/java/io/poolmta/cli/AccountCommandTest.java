package io.poolmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * {@code poolmta account list|production-access|pause|resume} against a running server, through
 * picocli as the launcher runs it (in this JVM, with --server and --token).
 */
class AccountCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;

    static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir.resolve("data"), MutableClock.startingNow());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void listShowsAPendingRequestAndProductionAccessGrantsIt() throws Exception {
        TestAccount shop = server.createSandboxAccount("shop");
        SesV2Client ses = server.ses(shop);
        ses.putAccountDetails(
                r -> r.mailType("MARKETING").websiteURL("https://shop.test").productionAccessEnabled(true));

        CliRun before = poolmta("account", "list");
        assertThat(before.exit()).as(before.err()).isZero();
        assertThat(before.out()
                        .lines()
                        .filter(l -> l.startsWith("shop "))
                        .findFirst()
                        .orElseThrow())
                .contains("ENABLED")
                .contains("SANDBOX")
                .contains("200/24h, 1/s")
                .contains("PENDING MARKETING https://shop.test");

        CliRun grant = poolmta("account", "production-access", "shop", "--max-24h", "50000", "--max-rate", "-1");
        assertThat(grant.exit()).as(grant.err()).isZero();
        JsonNode granted = JSON.readTree(grant.out());
        assertThat(granted.get("ProductionAccessEnabled").asBoolean()).isTrue();
        assertThat(granted.get("Max24HourSend").asLong()).isEqualTo(50_000);
        assertThat(granted.get("MaxSendRate").asDouble()).isEqualTo(-1.0);

        CliRun after = poolmta("account", "list");
        assertThat(after.out()
                        .lines()
                        .filter(l -> l.startsWith("shop "))
                        .findFirst()
                        .orElseThrow())
                .contains("PRODUCTION")
                .contains("50000/24h, unlimited/s")
                .contains("GRANTED");
        assertThat(ses.getAccount(r -> {}).productionAccessEnabled()).isTrue();
    }

    @Test
    void productionAccessRefusesABadQuota() {
        server.createSandboxAccount("bad");
        CliRun run = poolmta("account", "production-access", "bad", "--max-24h", "-5");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("Max24HourSend");
        CliRun nobody = poolmta("account", "production-access", "nobody");
        assertThat(nobody.exit()).isEqualTo(1);
        assertThat(nobody.err()).contains("does not exist");
    }

    @Test
    void pauseAndResumeSwitchTheAccountsSending() {
        TestAccount ops = server.createAccount("ops");
        SesV2Client ses = server.ses(ops);

        CliRun pause = poolmta("account", "pause", "ops");
        assertThat(pause.exit()).as(pause.err()).isZero();
        assertThat(ses.getAccount(r -> {}).sendingEnabled()).isFalse();
        assertThat(poolmta("account", "list").out().lines().filter(l -> l.startsWith("ops ")))
                .singleElement()
                .asString()
                .contains("PAUSED (operator)");

        CliRun resume = poolmta("account", "resume", "ops");
        assertThat(resume.exit()).as(resume.err()).isZero();
        assertThat(ses.getAccount(r -> {}).sendingEnabled()).isTrue();
    }

    static CliRun poolmta(String... args) {
        return CliRun.asOperator(server, args);
    }
}
