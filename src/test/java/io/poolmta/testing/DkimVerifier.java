package io.poolmta.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * An independent DKIM verifier for tests: dkimpy (Debian's {@code python3-dkim}, which
 * {@code .ci/run} installs when missing) run on a message, reading keys from a
 * {@link LoopbackDnsServer}. A test that needs it is skipped, saying why, only when no Python with
 * the {@code dkim} and {@code dns} modules exists on this machine.
 */
public final class DkimVerifier {
    private static final List<String> PYTHONS = List.of("/usr/bin/python3", "python3");
    private static volatile String python;

    /** What the verifier said. */
    public record Verdict(boolean pass, String out, String err) {}

    private DkimVerifier() {}

    /** Skips the calling test unless dkimpy can run. */
    public static void assumeAvailable() {
        assumeTrue(
                python() != null,
                "dkimpy is not installed (apt-get install -y python3-dkim); " + ".ci/run installs it");
    }

    public static Verdict verify(byte[] message, LoopbackDnsServer dns) {
        String py = python();
        try {
            Path script = Files.createTempFile("dkim-verify", ".py");
            try (var in = DkimVerifier.class.getResourceAsStream("/dkim-verify.py")) {
                Files.write(script, in.readAllBytes());
            }
            Process p = new ProcessBuilder(
                            py, script.toString(), String.valueOf(dns.address().getPort()))
                    .start();
            p.getOutputStream().write(message);
            p.getOutputStream().close();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            p.waitFor(60, TimeUnit.SECONDS);
            Files.deleteIfExists(script);
            return new Verdict(
                    p.exitValue() == 0,
                    new String(out, StandardCharsets.UTF_8).trim(),
                    new String(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String python() {
        if (python == null) {
            for (String candidate : PYTHONS) {
                try {
                    Process p = new ProcessBuilder(candidate, "-c", "import dkim, dns.resolver")
                            .redirectErrorStream(true)
                            .start();
                    p.getInputStream().readAllBytes();
                    if (p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0) {
                        python = candidate;
                        break;
                    }
                } catch (IOException | InterruptedException e) {
                    // try the next one
                }
            }
        }
        return python;
    }
}
