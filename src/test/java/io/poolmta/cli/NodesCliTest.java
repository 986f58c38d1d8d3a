package io.poolmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.EmbeddedPostgresFixture;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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

    record Run(int exit, String out, String err) {}

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

    private Run poolmta(String... args) {
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

    @Test
    void ipsShowTheirNodeAndStatusShowsEveryNode() {
        server.createAccount("acme");
        Run add = poolmta("ip", "add", "127.0.0.41", "--account", "acme");
        assertThat(add.exit()).as(add.err()).isZero();

        Run list = poolmta("ip", "list");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out().lines().findFirst().orElseThrow()).contains("NODE");
        assertThat(list.out().lines().filter(l -> l.startsWith("127.0.0.41")))
                .singleElement()
                .asString()
                .contains("acme", "mta-a");

        Run status = poolmta("status");
        assertThat(status.exit()).as(status.err()).isZero();
        assertThat(status.out()).contains("NODE", "LAST HEARTBEAT");
        assertThat(status.out().lines().filter(l -> l.startsWith("mta-a ")))
                .singleElement()
                .asString()
                .contains("UP", server.url(), server.smtpAddress());
    }
}
