package io.poolmta.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolmta.delivery.DeliverySettings;
import io.poolmta.delivery.RetryPolicy;
import io.poolmta.server.DataDirectory;
import io.poolmta.server.HostPort;
import io.poolmta.server.PoolMtaServer;
import io.poolmta.server.ServerConfig;
import io.poolmta.server.ServerEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A PoolMTA cluster node in a JVM of its own, so a test can kill it with SIGKILL ({@link #kill})
 * and start it again on the same data directory ({@link #restart}). The child runs {@link #main}:
 * the server as {@code poolmta serve --database URL --node NAME --node-link 127.0.0.1:PORT} starts
 * it, API and SMTP on free loopback ports, with one difference: a failed delivery or hand-over is
 * retried after 1 second (then 2) instead of a minute, so a test need not wait out the real
 * backoff for the mail a node held while another was down. The child's classpath is this JVM's.
 * Its output goes to {@code NAME-N.log} in the log directory.
 */
public final class NodeProcess implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    /** The retry backoff in the child: the real one starts at a minute. */
    static final RetryPolicy RETRY = new RetryPolicy(Duration.ofSeconds(1), Duration.ofSeconds(2));

    private static final String STOPPED = "node stopped";

    private final String name;
    private final Path dataDir;
    private final String database;
    private final int linkPort;
    private final Path logDir;
    private final int run;
    private final Process process;
    private final Path log;
    private String apiUrl;
    private int smtpPort;

    private NodeProcess(String name, Path dataDir, String database, int linkPort, Path logDir, int run)
            throws IOException {
        this.name = name;
        this.dataDir = dataDir;
        this.database = database;
        this.linkPort = linkPort;
        this.logDir = logDir;
        this.run = run;
        this.log = logDir.resolve(name + "-" + run + ".log");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        this.process = new ProcessBuilder(List.of(
                        java.toString(),
                        "-Xmx384m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        NodeProcess.class.getName(),
                        dataDir.toString(),
                        database,
                        name,
                        String.valueOf(linkPort)))
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
    }

    /**
     * Starts node {@code name} on {@code dataDir} and the database at {@code database} (a {@code
     * --database} URL), its node link on 127.0.0.1:{@code linkPort}; returns once it serves.
     */
    public static NodeProcess start(String name, Path dataDir, String database, int linkPort, Path logDir)
            throws IOException {
        return new NodeProcess(name, dataDir, database, linkPort, logDir, 1);
    }

    /** Starts the same node again, on the same data directory and ports, once this process is gone. */
    public NodeProcess restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("node " + name + " is still running");
        }
        return new NodeProcess(name, dataDir, database, linkPort, logDir, run + 1);
    }

    /**
     * Waits until this very process published its {@code server.json} (after a kill -9 the old one
     * stays behind) and reads its API and SMTP addresses from it.
     */
    public NodeProcess awaitServing() throws IOException {
        long pid = process.pid();
        await("node " + name + " (pid " + pid + ") serving")
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> serverInfo().map(i -> i.path("Pid").asLong()).orElse(-1L) == pid || !process.isAlive());
        assertThat(process.isAlive()).as("node %s started: %s", name, log()).isTrue();
        JsonNode info = serverInfo().orElseThrow();
        apiUrl = info.get("ApiUrl").asText();
        String smtp = info.get("SmtpAddress").asText();
        smtpPort = Integer.parseInt(smtp.substring(smtp.lastIndexOf(':') + 1));
        return this;
    }

    private Optional<JsonNode> serverInfo() {
        try {
            Path file = dataDir.resolve(DataDirectory.SERVER_FILE);
            return Files.exists(file) ? Optional.of(JSON.readTree(file.toFile())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // being replaced right now
        }
    }

    public String name() {
        return name;
    }

    public String apiUrl() {
        return apiUrl;
    }

    public int smtpPort() {
        return smtpPort;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The operator's admin API on this node, with the token of its data directory. */
    public AdminHttp admin() {
        try {
            return new AdminHttp(
                    apiUrl, DataDirectory.readOperatorToken(dataDir).orElseThrow());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** SIGKILL; returns once the process is gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(30, TimeUnit.SECONDS))
                .as("node %s gone after SIGKILL", name)
                .isTrue();
        assertThat(process.exitValue()).as("exit status of a SIGKILLed process").isEqualTo(128 + 9);
    }

    /** SIGTERM, as an operator stops a node; returns once it stopped cleanly, within 30 seconds. */
    public void stop() throws InterruptedException, IOException {
        process.destroy();
        assertThat(process.waitFor(30, TimeUnit.SECONDS))
                .as("node %s stopped within 30 s of SIGTERM", name)
                .isTrue();
        assertThat(log()).as("node %s stopped cleanly", name).contains(STOPPED);
    }

    /** What the process printed so far. */
    public String log() throws IOException {
        return Launcher.read(log);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The child: {@code DATA DATABASE NODE LINK_PORT}. */
    public static void main(String[] args) throws Exception {
        ServerConfig defaults = ServerConfig.defaults();
        ServerConfig config = defaults.withDataDir(Path.of(args[0]))
                .withApi(new HostPort("127.0.0.1", 0))
                .withSmtp(new HostPort("127.0.0.1", 0))
                .withCluster(defaults.cluster()
                        .withDatabase(args[1])
                        .withNode(args[2])
                        .withNodeLink(new HostPort("127.0.0.1", Integer.parseInt(args[3]))));
        ServerEnvironment env = ServerEnvironment.production().withDelivery(DeliverySettings.DEFAULT.withRetry(RETRY));
        PoolMtaServer server = PoolMtaServer.start(config, env);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            System.out.println(STOPPED);
            stopped.countDown();
        }));
        System.out.println("node " + args[2] + " serving on " + server.apiUrl() + ", SMTP " + server.smtpAddress());
        stopped.await();
    }
}
