package io.poolmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve --database}: a wrong URL or an unreachable server stops it with one line, exit 1. */
class ServeDatabaseTest {
    @TempDir
    Path dir;

    private CliRun serve(String... args) {
        String[] all = new String[args.length + 7];
        all[0] = "serve";
        all[1] = "--data";
        all[2] = dir.resolve("data").toString();
        all[3] = "--api";
        all[4] = "127.0.0.1:0";
        all[5] = "--smtp";
        all[6] = "127.0.0.1:0";
        System.arraycopy(args, 0, all, 7, args.length);
        return CliRun.of(all);
    }

    @Test
    void aMalformedUrlIsOneLine() {
        CliRun run = serve("--database", "mysql://127.0.0.1/poolmta?user=u&password=hunter2");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString().startsWith("poolmta: database must be postgresql://");
        assertThat(run.err()).doesNotContain("hunter2");
    }

    @Test
    void anUnreachableServerIsOneLineWithoutThePassword() throws Exception {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0)) {
            closedPort = probe.getLocalPort();
        }
        CliRun run =
                serve("--database", "postgresql://127.0.0.1:" + closedPort + "/poolmta?user=poolmta&password=hunter2");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().lines())
                .singleElement()
                .asString()
                .startsWith("poolmta: cannot connect to the database postgresql://127.0.0.1:" + closedPort)
                .contains("password=***");
        assertThat(run.err()).doesNotContain("hunter2");
    }

    @Test
    void aBadNodeNameIsOneLine() {
        CliRun run = serve("--node", "no spaces please");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString().startsWith("poolmta: node must be");
    }
}
