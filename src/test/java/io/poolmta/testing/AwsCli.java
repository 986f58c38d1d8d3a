package io.poolmta.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The AWS CLI ({@code aws}, which {@code .ci/run} installs when missing) run against a
 * {@link TestServer} as one account: {@code --endpoint-url} the server, region us-east-1, the
 * account's keys in the environment and no configuration or credentials files of the machine. A test
 * that needs it is skipped, saying why, only when no {@code aws} command exists here.
 */
public final class AwsCli {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static volatile Boolean available;

    private final TestServer server;
    private final TestAccount account;
    private final Path home;

    /** What one command said. */
    public record Result(int exitCode, String out, String err) {
        /** The standard output as JSON; fails the test, with the error output, if the command failed. */
        public JsonNode json() {
            if (exitCode != 0) {
                throw new AssertionError("aws exited with " + exitCode + ": " + err);
            }
            try {
                return JSON.readTree(out);
            } catch (IOException e) {
                throw new AssertionError("aws printed no JSON: " + out, e);
            }
        }
    }

    /** @param home an empty directory that stands in for the user's home (no ~/.aws files are read) */
    public AwsCli(TestServer server, TestAccount account, Path home) {
        this.server = server;
        this.account = account;
        this.home = home;
    }

    /** Skips the calling test unless {@code aws --version} runs. */
    public static void assumeAvailable() {
        if (available == null) {
            try {
                Process p = new ProcessBuilder("aws", "--version")
                        .redirectErrorStream(true)
                        .start();
                p.getInputStream().readAllBytes();
                available = p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                available = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                available = false;
            }
        }
        assumeTrue(available, "the AWS CLI (aws) is not installed (apt-get install -y awscli); .ci/run installs it");
    }

    /** Runs {@code aws sesv2 ARGS --endpoint-url URL --region us-east-1 --output json}. */
    public Result sesv2(String... args) {
        List<String> command = new ArrayList<>(List.of("aws", "sesv2"));
        command.addAll(List.of(args));
        command.addAll(List.of("--endpoint-url", server.url(), "--region", "us-east-1", "--output", "json"));
        ProcessBuilder builder = new ProcessBuilder(command);
        Map<String, String> env = builder.environment();
        env.keySet()
                .removeIf(k ->
                        k.startsWith("AWS_") || k.equalsIgnoreCase("http_proxy") || k.equalsIgnoreCase("https_proxy"));
        env.put("HOME", home.toString());
        env.put("AWS_CONFIG_FILE", home.resolve("config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", home.resolve("credentials").toString());
        env.put("AWS_ACCESS_KEY_ID", account.accessKeyId());
        env.put("AWS_SECRET_ACCESS_KEY", account.secretAccessKey());
        env.put("AWS_EC2_METADATA_DISABLED", "true");
        env.put("AWS_PAGER", "");
        env.put("NO_PROXY", "127.0.0.1,localhost");
        try {
            Process p = builder.start();
            p.getOutputStream().close();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("aws did not finish within 120 s: " + command);
            }
            return new Result(
                    p.exitValue(),
                    new String(out, StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
