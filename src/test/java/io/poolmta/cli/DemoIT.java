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
                .contains("127.0.0.11")
                .contains("127.0.0.12")
                .doesNotContain("127.0.0.2 ");
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
}
