package io.poolmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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

    record Run(int exit, String out, String err) {}

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

        Run before = poolmta("account", "list");
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

        Run grant = poolmta("account", "production-access", "shop", "--max-24h", "50000", "--max-rate", "-1");
        assertThat(grant.exit()).as(grant.err()).isZero();
        JsonNode granted = JSON.readTree(grant.out());
        assertThat(granted.get("ProductionAccessEnabled").asBoolean()).isTrue();
        assertThat(granted.get("Max24HourSend").asLong()).isEqualTo(50_000);
        assertThat(granted.get("MaxSendRate").asDouble()).isEqualTo(-1.0);

        Run after = poolmta("account", "list");
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
        Run run = poolmta("account", "production-access", "bad", "--max-24h", "-5");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("Max24HourSend");
        Run nobody = poolmta("account", "production-access", "nobody");
        assertThat(nobody.exit()).isEqualTo(1);
        assertThat(nobody.err()).contains("does not exist");
    }

    @Test
    void pauseAndResumeSwitchTheAccountsSending() {
        TestAccount ops = server.createAccount("ops");
        SesV2Client ses = server.ses(ops);

        Run pause = poolmta("account", "pause", "ops");
        assertThat(pause.exit()).as(pause.err()).isZero();
        assertThat(ses.getAccount(r -> {}).sendingEnabled()).isFalse();
        assertThat(poolmta("account", "list").out().lines().filter(l -> l.startsWith("ops ")))
                .singleElement()
                .asString()
                .contains("PAUSED (operator)");

        Run resume = poolmta("account", "resume", "ops");
        assertThat(resume.exit()).as(resume.err()).isZero();
        assertThat(ses.getAccount(r -> {}).sendingEnabled()).isTrue();
    }

    static synchronized Run poolmta(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--server";
        all[args.length + 1] = server.url();
        all[args.length + 2] = "--token";
        all[args.length + 3] = server.operatorToken();
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            var cli = PoolMtaCommand.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int exit = cli.execute(all);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(saved);
        }
    }
}
