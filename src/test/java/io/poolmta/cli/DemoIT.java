package io.poolmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.Launcher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The README's first command, {@code ./poolmta demo}, through the real launcher. */
class DemoIT {
    @Test
    void demoDeliversEveryMessageFromItsOwnPool() throws Exception {
        Path out = Files.createTempFile("demo", ".out");
        Process p = new ProcessBuilder(Launcher.SCRIPT.toString(), "demo", "--messages", "8")
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);

        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("32 of 32 messages delivered")
                .contains("0 left from an address outside their pool")
                .contains("the receivers verified the DKIM signature (d=acme.demo) of 32.");
        assertThat(output.lines()
                        .filter(l -> l.startsWith("marketing newsletter"))
                        .findFirst()
                        .orElseThrow())
                .contains("SES API")
                .contains("127.0.0.11")
                .contains("127.0.0.12")
                .doesNotContain("127.0.0.2 ");
        // sent through SMTP submission (STARTTLS, AUTH, the configuration set in its header)
        assertThat(output.lines()
                        .filter(l -> l.startsWith("transactional receipts"))
                        .findFirst()
                        .orElseThrow())
                .contains(" SMTP ")
                .contains(" transactional ")
                .contains("8 of 8")
                .doesNotContain("127.0.0.11")
                .doesNotContain("127.0.0.31");
        assertThat(output.lines()
                        .filter(l -> l.startsWith("no configuration set"))
                        .findFirst()
                        .orElseThrow())
                .contains("ses-default-dedicated-pool")
                .contains("127.0.0.31 (8)");
        assertThat(output.lines()
                        .filter(l -> l.startsWith("shared-pool mail"))
                        .findFirst()
                        .orElseThrow())
                .contains("127.0.0.2 (8)");
        assertThat(output.lines().filter(l -> l.contains(" 8 of 8 ")).count())
                .as("every configuration set's row: 8 of 8 signatures verified")
                .isEqualTo(4);
    }

    /**
     * {@code ./poolmta demo --nodes 3}: three nodes on an embedded PostgreSQL, the transactional
     * pool's IPs all on node-3, the mail taken to the nodes in turn: every message leaves from its
     * own pool's IPs, on the node that holds them, signed.
     */
    @Test
    void aThreeNodeClusterSendsEachPoolFromTheNodeThatHoldsItsIps() throws Exception {
        Path out = Files.createTempFile("demo-nodes", ".out");
        Process p = new ProcessBuilder(Launcher.SCRIPT.toString(), "demo", "--nodes", "3", "--messages", "9")
                .redirectErrorStream(true)
                .redirectOutput(out.toFile())
                .start();
        assertThat(p.waitFor(180, TimeUnit.SECONDS)).isTrue();
        String output = Files.readString(out, StandardCharsets.UTF_8);
        Files.delete(out);

        assertThat(p.exitValue()).as(output).isZero();
        assertThat(output)
                .contains("36 of 36 messages delivered")
                .contains("0 left from an address outside their pool")
                .contains("the receivers verified the DKIM signature (d=acme.demo) of 36.")
                .contains("Accepted at {node-1=12, node-2=12, node-3=12}");
        assertThat(output.lines()
                        .filter(l -> l.startsWith("transactional receipts"))
                        .findFirst()
                        .orElseThrow())
                .contains(" SMTP ")
                .contains("127.0.0.21 on node-3")
                .contains("127.0.0.22 on node-3")
                .contains("9 of 9");
        assertThat(output.lines()
                        .filter(l -> l.startsWith("marketing newsletter"))
                        .findFirst()
                        .orElseThrow())
                .contains("127.0.0.11 on node-1")
                .contains("127.0.0.12 on node-2");
    }
}
