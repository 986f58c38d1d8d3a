package io.poolmta.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real {@code ./poolmta} script, as the launcher tests ({@code *IT}) run it: the path Maven's
 * failsafe plugin passes in {@code poolmta.launcher}, else {@code ./poolmta}; each run in a working
 * directory of the test's, its output captured in files there, and waited for at most 2 minutes.
 */
public final class Launcher {
    public static final Path SCRIPT =
            Path.of(System.getProperty("poolmta.launcher", "poolmta")).toAbsolutePath();

    private Launcher() {}

    /** What one run printed and how it ended. */
    public record Run(int exit, String out, String err) {
        /** Its standard output, once it is checked that the run exited 0. */
        public String ok() {
            assertThat(exit).as("poolmta exit; stderr: %s", err).isZero();
            return out;
        }
    }

    public static Run run(Path work, String... args) throws IOException, InterruptedException {
        return run(work, List.of(args));
    }

    public static Run run(Path work, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(SCRIPT.toString());
        command.addAll(args);
        Path out = Files.createTempFile(work, "out", ".txt");
        Path err = Files.createTempFile(work, "err", ".txt");
        Process p = new ProcessBuilder(command)
                .directory(work.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertThat(p.waitFor(120, TimeUnit.SECONDS))
                .as("poolmta %s finished", args)
                .isTrue();
        return new Run(p.exitValue(), read(out), read(err));
    }

    /** A file's text, or "" when it does not exist. */
    public static String read(Path file) throws IOException {
        return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    }
}
