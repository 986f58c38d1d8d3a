package io.poolmta.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolmta.testing.Launcher;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.WebhookReceiver;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.EventType;

/**
 * Webhook events survive {@code kill -9}: the real {@code ./poolmta serve} (as in
 * {@code CrashRecoveryIT}), a configuration set with a webhook destination on loopback
 * (allow-listed in the config file), and a real HTTP endpoint.
 * <ol>
 *   <li>The endpoint is down; messages are sent and delivered, so their Send and Delivery events
 *       wait (poolmta status counts them); the server is killed with SIGKILL and started again on
 *       the same data directory; the endpoint comes back: every event arrives.</li>
 *   <li>The endpoint is up and the server is killed right after the sink took a second batch, while
 *       its events are still being posted; after the restart every event of that batch arrives.</li>
 * </ol>
 * At least once: duplicates are allowed (a position saved just before the kill), losses are not.
 */
class WebhookCrashRecoveryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOMAIN = "hooks.test";
    private static final String IP = "127.0.0.63";
    private static final String HOOK_HOST = "127.0.0.1";
    private static final String SET = "notices";
    private static final int BATCH = 10;
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration ARRIVAL_TIMEOUT = Duration.ofSeconds(60);

    private Path work;
    private Path data;
    private Process server;
    private ScriptedSmtpServer sink;
    private WebhookReceiver receiver;
    private int serveCount;

    @AfterEach
    void cleanUp() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (sink != null) {
            sink.close();
        }
        if (receiver != null) {
            receiver.close();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    @Timeout(value = 600, unit = TimeUnit.SECONDS)
    void webhookEventsSurviveKillDashNine() throws Exception {
        work = Files.createTempDirectory("poolmta-webhook-crash");
        data = work.resolve("data");
        Path config = work.resolve("poolmta.json");
        Files.writeString(config, "{\"webhookAllowList\": [\"127.0.0.0/8\"]}");
        sink = ScriptedSmtpServer.acceptingAll();
        String apiUrl = startServer(config);

        JsonNode account = JSON.readTree(ok("account", "create", "acme", "--data", data.toString()));
        ok("account", "production-access", "acme", "--data", data.toString());
        ok("ip", "add", IP, "--account", "acme", "--data", data.toString());
        ok("route", "set", DOMAIN, sink.nextHop().toString(), "--data", data.toString());
        int port = WebhookReceiver.freePort(HOOK_HOST); // the endpoint is down
        try (SesV2Client ses = ses(apiUrl, account)) {
            ses.createEmailIdentity(r -> r.emailIdentity("acme.test")); // the domain mail comes from
            ses.createConfigurationSet(r -> r.configurationSetName(SET));
            ses.createConfigurationSetEventDestination(r -> r.configurationSetName(SET)
                    .eventDestinationName("hook")
                    .eventDestination(d -> d.enabled(true)
                            .matchingEventTypes(EventType.SEND, EventType.DELIVERY)
                            .snsDestination(s -> s.topicArn(WebhookReceiver.url(HOOK_HOST, port)))));
        }
        ok("identity", "verify", "acme.test", "--account", "acme", "--data", data.toString());

        // 1. endpoint down: events wait, the server is killed, restarted, the endpoint comes back
        List<String> first = sendBatch(apiUrl, account, "first");
        sink.awaitMessages(BATCH, Duration.ofSeconds(60));
        awaitLogged(first);
        await("webhook events pending before the kill")
                .atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500))
                .until(() ->
                        ok("status", "--data", data.toString()).contains("webhook events pending " + 2 * BATCH + ","));
        kill();
        apiUrl = startServer(config);
        assertThat(ok("status", "--data", data.toString()))
                .as("pending after the restart")
                .contains("webhook events pending " + 2 * BATCH + ",");
        receiver = WebhookReceiver.startOn(HOOK_HOST, port);
        awaitArrived(first);

        // 2. endpoint up, killed while the events of a batch are being posted
        int before = receiver.events().size();
        List<String> second = sendBatch(apiUrl, account, "second");
        await("a first event of the second batch posted")
                .atMost(ARRIVAL_TIMEOUT)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> receiver.events().size() > before);
        kill();
        System.out.println("[WebhookCrashRecoveryIT] killed with "
                + (receiver.events().size() - before) + " of the " + 2 * BATCH + " events of the second batch posted");
        startServer(config);
        awaitArrived(second);

        Map<String, Long> perEvent = receiver.events().stream()
                .collect(Collectors.groupingBy(
                        e -> e.at("/mail/messageId").asText() + " "
                                + e.path("eventType").asText(),
                        Collectors.counting()));
        long duplicates = perEvent.values().stream().mapToLong(n -> n - 1).sum();
        System.out.println("[WebhookCrashRecoveryIT] " + perEvent.size() + " events, " + duplicates + " duplicate(s)");
        assertThat(perEvent).hasSize(4 * BATCH);

        server.destroy(); // SIGTERM: a clean stop
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Launcher.read(work.resolve("serve-" + serveCount + ".err"))).contains("PoolMTA stopped");
    }

    private List<String> sendBatch(String apiUrl, JsonNode account, String label) {
        List<String> ids = new ArrayList<>();
        try (SesV2Client ses = ses(apiUrl, account)) {
            for (int i = 0; i < BATCH; i++) {
                String to = label + i + "@" + DOMAIN;
                ids.add(ses.sendEmail(r -> r.fromEmailAddress("sender@acme.test")
                                .destination(d -> d.toAddresses(to))
                                .configurationSetName(SET)
                                .content(c -> c.simple(
                                        s -> s.subject(x -> x.data("hello")).body(b -> b.text(t -> t.data("body"))))))
                        .messageId());
            }
        }
        return ids;
    }

    /** Waits until the server-wide log holds the Delivery event of every message. */
    private void awaitLogged(List<String> ids) {
        Path log = data.resolve("events").resolve("events.jsonl");
        await("Delivery events logged")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> {
                    Set<String> delivered = new HashSet<>();
                    for (String line : Files.readAllLines(log)) {
                        JsonNode e = JSON.readTree(line);
                        if (e.path("eventType").asText().equals("Delivery")) {
                            delivered.add(e.at("/mail/messageId").asText());
                        }
                    }
                    return delivered.containsAll(ids);
                });
    }

    private void awaitArrived(List<String> ids) {
        await("Send and Delivery events of " + ids.size() + " messages at the endpoint")
                .atMost(ARRIVAL_TIMEOUT)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> ids.stream()
                        .allMatch(id -> receiver.count(id, "Send") >= 1 && receiver.count(id, "Delivery") >= 1));
    }

    private void kill() throws InterruptedException {
        server.destroyForcibly();
        assertThat(server.waitFor(30, TimeUnit.SECONDS))
                .as("killed server exited")
                .isTrue();
        assertThat(server.exitValue()).as("exit status of a SIGKILLed process").isEqualTo(128 + 9);
    }

    /** Starts {@code ./poolmta serve} and waits for this process's server.json; returns the API URL. */
    private String startServer(Path config) throws Exception {
        serveCount++;
        Path out = work.resolve("serve-" + serveCount + ".out");
        Path err = work.resolve("serve-" + serveCount + ".err");
        server = new ProcessBuilder(
                        Launcher.SCRIPT.toString(),
                        "serve",
                        "--config",
                        config.toString(),
                        "--data",
                        data.toString(),
                        "--api",
                        "127.0.0.1:0",
                        "--smtp",
                        "127.0.0.1:0")
                .directory(work.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        long pid = server.pid();
        await("server.json of pid " + pid)
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> serverInfo().map(i -> i.path("Pid").asLong()).orElse(-1L) == pid || !server.isAlive());
        assertThat(server.isAlive())
                .as("server %d started; stderr: %s", serveCount, Launcher.read(err))
                .isTrue();
        return serverInfo().orElseThrow().get("ApiUrl").asText();
    }

    private Optional<JsonNode> serverInfo() {
        try {
            Path file = data.resolve("server.json");
            return Files.exists(file) ? Optional.of(JSON.readTree(file.toFile())) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty(); // being replaced right now
        }
    }

    private static SesV2Client ses(String url, JsonNode credentials) {
        return SesV2Client.builder()
                .endpointOverride(URI.create(url))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        credentials.get("AccessKeyId").asText(),
                        credentials.get("SecretAccessKey").asText())))
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(15))
                        .build())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    private String ok(String... args) throws IOException, InterruptedException {
        return Launcher.run(work, args).ok();
    }
}
