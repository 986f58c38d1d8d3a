package io.poolmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

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

/** {@code poolmta advisor [ACCOUNT]} against a running server, through picocli as the launcher runs it. */
class AdvisorCommandTest {
    @TempDir
    static Path dir;

    static TestServer server;

    record Run(int exit, String out, String err) {}

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
        Run run = poolmta("advisor", "acme", "--threshold", "50");
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
        Run run = poolmta("advisor", "--json");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out()).contains("\"Account\" : \"acme\"").contains("\"Account\" : \"quiet\"");
    }

    @Test
    void anUnknownAccountIsAnError() {
        Run run = poolmta("advisor", "nobody");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("Account nobody does not exist.");
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
