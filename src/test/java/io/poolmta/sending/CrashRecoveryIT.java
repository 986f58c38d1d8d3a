package io.poolmta.sending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolmta.delivery.DeliverySettings;
import io.poolmta.testing.Launcher;
import io.poolmta.testing.Launcher.Run;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.SmtpSubmit;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * A message acknowledged to a client (SendEmail 200, SMTP 250 after DATA) is never lost, not even
 * when the server is killed with SIGKILL while it accepts and delivers under load.
 * <p>
 * The real {@code ./poolmta serve} (the launcher execs java, so the launcher's process is the
 * server's JVM) is set up through the operator CLI: an account, two leased loopback IPs, a static
 * route for {@value #DOMAIN} to a {@link ScriptedSmtpServer} sink in this JVM, SMTP credentials.
 * Several threads send through the AWS SDK and through SMTP submission, each message with its own
 * recipient address so the sink can tell them apart; a message counts as acknowledged only once
 * its client has the 200/250. After a few hundred acknowledgements per cycle the server is killed
 * (-9) while the senders are still busy, restarted on the same data directory, and every message
 * acknowledged so far must reach the sink. Duplicates are allowed (at-least-once), counted,
 * printed, and bounded; see {@link #duplicateBound()}.
 */
class CrashRecoveryIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DOMAIN = "crash.test";
    private static final List<String> IPS = List.of("127.0.0.61", "127.0.0.62");
    private static final int API_SENDERS = 4;
    private static final int SMTP_SENDERS = 2;
    /** SMTP senders open a new connection after this many messages. */
    private static final int SMTP_MESSAGES_PER_CONNECTION = 25;
    /** Kill-and-restart cycles: 3 in CI; bench/crash-loop.sh runs 10 (-Dpoolmta.crash.cycles). */
    private static final int CYCLES = Integer.getInteger("poolmta.crash.cycles", 3);

    private static final int ACKS_PER_CYCLE = 300;
    /** Upper bound on send attempts per sender thread per cycle, so no loop can run away. */
    private static final int MAX_ATTEMPTS_PER_SENDER = 5_000;

    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(60);

    private Path work;
    private Path data;
    private Process server;
    private ScriptedSmtpServer sink;
    private int serveCount;

    /** Every acknowledged message: its unique recipient → how it was sent and in which cycle. */
    private final Map<String, String> acknowledged = new ConcurrentHashMap<>();

    record Endpoints(String apiUrl, String smtpHost, int smtpPort, long pid) {}

    @AfterEach
    void cleanUp() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (sink != null) {
            sink.close();
        }
        if (work != null) {
            try (Stream<Path> files = Files.walk(work)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    @Test
    @Timeout(value = 900, unit = TimeUnit.SECONDS)
    void acknowledgedMailSurvivesKillDashNine() throws Exception {
        work = Files.createTempDirectory("poolmta-crash");
        data = work.resolve("data");
        sink = ScriptedSmtpServer.acceptingAll();
        Endpoints endpoints = startServer();

        JsonNode account = JSON.readTree(ok(poolmta("account", "create", "crash", "--data", data.toString())));
        ok(poolmta(
                "account",
                "production-access",
                "crash",
                "--max-24h",
                "-1",
                "--max-rate",
                "-1",
                "--data",
                data.toString()));
        // already-warm IPs: this test is about durability, not warm-up caps (200 a day for a new IP)
        try (SesV2Client ses = ses(endpoints.apiUrl(), account)) {
            ses.putAccountDedicatedIpWarmupAttributes(r -> r.autoWarmupEnabled(false));
            ses.createEmailIdentity(r -> r.emailIdentity("crash.example")); // the domain mail comes from
        }
        ok(poolmta("identity", "verify", "crash.example", "--account", "crash", "--data", data.toString()));
        ok(poolmta(concat(List.of("ip", "add"), IPS, List.of("--account", "crash", "--data", data.toString()))));
        ok(poolmta("route", "set", DOMAIN, sink.nextHop().toString(), "--data", data.toString()));
        JsonNode smtpCredentials = JSON.readTree(
                ok(poolmta("smtp-credentials", "create", "--account", "crash", "--data", data.toString())));

        List<String> report = new ArrayList<>();
        int duplicatesBefore = 0;
        for (int cycle = 1; cycle <= CYCLES; cycle++) {
            int ackedBefore = acknowledged.size();
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> senders = new ArrayList<>();
            List<String> senderErrors = new CopyOnWriteArrayList<>();
            try (SesV2Client ses = ses(endpoints.apiUrl(), account)) {
                for (int t = 0; t < API_SENDERS; t++) {
                    senders.add(apiSender(ses, cycle, t, stop, senderErrors));
                }
                for (int t = 0; t < SMTP_SENDERS; t++) {
                    senders.add(smtpSender(endpoints, smtpCredentials, cycle, t, stop, senderErrors));
                }
                int target = ackedBefore + ACKS_PER_CYCLE;
                await("%d acknowledgements in cycle %d (sender errors: %s)"
                                .formatted(ACKS_PER_CYCLE, cycle, senderErrors))
                        .atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(5))
                        .until(() -> acknowledged.size() >= target
                                || senders.stream().noneMatch(Thread::isAlive));
                assertThat(acknowledged.size())
                        .as("acknowledged in cycle %d; sender errors: %s", cycle, senderErrors)
                        .isGreaterThanOrEqualTo(target);

                // kill -9 while the senders are still sending and the engine is still delivering
                Set<Integer> openSessionsAtKill = sink.sessions().stream()
                        .filter(s -> s.open())
                        .map(s -> s.id())
                        .collect(Collectors.toSet());
                server.destroyForcibly();
                assertThat(server.waitFor(30, TimeUnit.SECONDS))
                        .as("killed server exited")
                        .isTrue();
                stop.set(true);
                assertThat(server.exitValue())
                        .as("exit status of a SIGKILLed process")
                        .isEqualTo(128 + 9);
                for (Thread sender : senders) {
                    sender.join(Duration.ofSeconds(30));
                    assertThat(sender.isAlive())
                            .as("%s stopped after the kill", sender.getName())
                            .isFalse();
                }
                long receivedInOpenSessions = sink.messages().stream()
                        .filter(m -> openSessionsAtKill.contains(m.sessionId()))
                        .count();
                report.add("cycle %d: %d acknowledged (%d in all), %d messages at the sink, %d of them in the %d sink"
                                .formatted(
                                        cycle,
                                        acknowledged.size() - ackedBefore,
                                        acknowledged.size(),
                                        sink.messages().size(),
                                        receivedInOpenSessions,
                                        openSessionsAtKill.size())
                        + " sessions open at the kill");
            }

            endpoints = startServer();
            Map<String, Integer> received = awaitAllAcknowledgedDelivered(cycle);

            int duplicates = duplicates(received);
            int newDuplicates = duplicates - duplicatesBefore;
            duplicatesBefore = duplicates;
            report.add("cycle %d: after restart all %d acknowledged messages delivered; %d duplicate(s) from this crash"
                            .formatted(cycle, acknowledged.size(), newDuplicates)
                    + " (bound " + duplicateBound() + ")");
            System.out.println("[CrashRecoveryIT] " + report.get(report.size() - 2));
            System.out.println("[CrashRecoveryIT] " + report.getLast());
            assertThat(newDuplicates)
                    .as("duplicates caused by crash %d: %s", cycle, report)
                    .isLessThanOrEqualTo(duplicateBound());
        }

        // a clean stop after the last restart still works, and the restarted server delivered everything
        server.destroy();
        assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(Launcher.read(work.resolve("serve-" + serveCount + ".err"))).contains("PoolMTA stopped");
        System.out.println("[CrashRecoveryIT] summary: " + String.join("; ", report));
    }

    /**
     * How many messages one crash may deliver twice. A message is delivered again after a restart
     * only if the sink accepted it but its outcome (the spool's RECIPIENT_DONE record) had not been
     * written to the segment file when the process died (a written record is in the OS page cache,
     * which survives a SIGKILL). The engine records each outcome as soon as its message's reply is
     * in ({@code PathConnections.work}), so at the instant of the kill each connection has at most
     * one message delivered but not yet handed to the spool; at most {@code maxConnectionsPerPath}
     * connections run per egress path (source IP × destination site), and here there are
     * {@code IPS.size()} source IPs and one site (the sink): 2 × 10 = 20 with the defaults. The
     * spool writer appends handed-over outcomes within milliseconds; {@link #SPOOL_WRITER_ALLOWANCE}
     * covers those still in its queue on a slow CI disk. Observed: 0–3 per crash (16 at most when
     * outcomes were recorded per batch of up to 100).
     */
    private static int duplicateBound() {
        DeliverySettings engine = DeliverySettings.DEFAULT;
        return IPS.size() * engine.maxConnectionsPerPath() + SPOOL_WRITER_ALLOWANCE;
    }

    /** Outcomes handed to the spool writer but not yet appended when the process dies. */
    private static final int SPOOL_WRITER_ALLOWANCE = 100;

    /** Waits until every acknowledged message is at the sink; returns per recipient how often it arrived. */
    private Map<String, Integer> awaitAllAcknowledgedDelivered(int cycle) {
        AtomicReference<Map<String, Integer>> received = new AtomicReference<>(Map.of());
        try {
            await("every acknowledged message at the sink after restart " + cycle)
                    .atMost(DELIVERY_TIMEOUT)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> {
                        received.set(receivedCounts());
                        return received.get().keySet().containsAll(acknowledged.keySet());
                    });
        } catch (ConditionTimeoutException e) {
            Set<String> lost = new TreeSet<>(acknowledged.keySet());
            lost.removeAll(receivedCounts().keySet());
            throw new AssertionError(
                    "after crash " + cycle + ", " + lost.size() + " of " + acknowledged.size()
                            + " acknowledged messages never reached the sink (lost), e.g. "
                            + lost.stream()
                                    .limit(20)
                                    .map(k -> k + " (" + acknowledged.get(k) + ")")
                                    .toList(),
                    e);
        }
        return received.get();
    }

    private Map<String, Integer> receivedCounts() {
        Map<String, Integer> counts = new HashMap<>();
        for (ReceivedMessage m : sink.messages()) {
            for (String rcpt : m.recipients()) {
                counts.merge(rcpt, 1, Integer::sum);
            }
        }
        return counts;
    }

    private static int duplicates(Map<String, Integer> received) {
        return received.values().stream().mapToInt(n -> n - 1).sum();
    }

    private Thread apiSender(SesV2Client ses, int cycle, int thread, AtomicBoolean stop, List<String> errors) {
        return Thread.ofPlatform().name("api-sender-" + cycle + "-" + thread).start(() -> {
            for (int n = 0; n < MAX_ATTEMPTS_PER_SENDER && !stop.get(); n++) {
                String rcpt = "c%d-api%d-%d@%s".formatted(cycle, thread, n, DOMAIN);
                try {
                    ses.sendEmail(r -> r.fromEmailAddress("load@crash.example")
                            .destination(d -> d.toAddresses(rcpt))
                            .content(c -> c.simple(s -> s.subject(x -> x.data("crash " + rcpt))
                                    .body(b -> b.text(t -> t.data("message for " + rcpt))))));
                    acknowledged.put(rcpt, "SendEmail, cycle " + cycle);
                } catch (RuntimeException e) {
                    if (!stop.get()) {
                        errors.add(rcpt + ": " + e);
                    }
                }
            }
        });
    }

    private Thread smtpSender(
            Endpoints endpoints, JsonNode credentials, int cycle, int thread, AtomicBoolean stop, List<String> errors) {
        Properties props = SmtpSubmit.properties(endpoints.smtpHost(), endpoints.smtpPort());
        props.put("mail.smtp.connectiontimeout", "10000");
        props.put("mail.smtp.timeout", "10000");
        Session session = Session.getInstance(props);
        String user = credentials.get("Username").asText();
        String password = credentials.get("Password").asText();
        return Thread.ofPlatform().name("smtp-sender-" + cycle + "-" + thread).start(() -> {
            Transport transport = null;
            try {
                for (int n = 0; n < MAX_ATTEMPTS_PER_SENDER && !stop.get(); n++) {
                    String rcpt = "c%d-smtp%d-%d@%s".formatted(cycle, thread, n, DOMAIN);
                    try {
                        if (transport == null || n % SMTP_MESSAGES_PER_CONNECTION == 0) {
                            closeQuietly(transport);
                            transport = session.getTransport("smtp");
                            transport.connect(user, password);
                        }
                        MimeMessage message = new MimeMessage(session);
                        message.setFrom(new InternetAddress("load@crash.example"));
                        message.setRecipients(Message.RecipientType.TO, rcpt);
                        message.setSubject("crash " + rcpt);
                        message.setText("message for " + rcpt);
                        transport.sendMessage(message, message.getAllRecipients()); // returns after 250
                        acknowledged.put(rcpt, "SMTP, cycle " + cycle);
                    } catch (MessagingException | RuntimeException e) {
                        if (!stop.get()) {
                            errors.add(rcpt + ": " + e);
                        }
                        closeQuietly(transport);
                        transport = null;
                    }
                }
            } finally {
                closeQuietly(transport);
            }
        });
    }

    private static void closeQuietly(Transport transport) {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException | RuntimeException e) {
                // the server may be gone
            }
        }
    }

    /** Starts {@code ./poolmta serve} and waits for this very process to publish its server.json. */
    private Endpoints startServer() throws Exception {
        serveCount++;
        Path out = work.resolve("serve-" + serveCount + ".out");
        Path err = work.resolve("serve-" + serveCount + ".err");
        server = new ProcessBuilder(
                        Launcher.SCRIPT.toString(),
                        "serve",
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
        // after a kill -9 the old server.json stays behind: wait for one naming this process. That it
        // does also shows the launcher execs java, i.e. killing this process kills the server's JVM.
        await("server.json of pid " + pid)
                .atMost(START_TIMEOUT)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> serverPid().orElse(-1L) == pid || !server.isAlive());
        assertThat(server.isAlive())
                .as("server %d started; stderr: %s", serveCount, Launcher.read(err))
                .isTrue();
        assertThat(server.toHandle().info().command().orElse("java"))
                .as("the launcher's process is the JVM itself")
                .endsWith("java");
        JsonNode info = JSON.readTree(data.resolve("server.json").toFile());
        String smtp = info.get("SmtpAddress").asText();
        int colon = smtp.lastIndexOf(':');
        return new Endpoints(
                info.get("ApiUrl").asText(),
                smtp.substring(0, colon),
                Integer.parseInt(smtp.substring(colon + 1)),
                pid);
    }

    private Optional<Long> serverPid() {
        try {
            Path file = data.resolve("server.json");
            if (!Files.exists(file)) {
                return Optional.empty();
            }
            JsonNode info = JSON.readTree(file.toFile());
            return info.has("Pid") ? Optional.of(info.get("Pid").asLong()) : Optional.empty();
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
                // one attempt: a retried request could be accepted twice and blur the duplicate count
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
    }

    private String ok(Run run) {
        assertThat(run.exit()).as("poolmta exit; stderr: %s", run.err()).isZero();
        return run.out();
    }

    private Run poolmta(String... args) throws IOException, InterruptedException {
        return poolmta(List.of(args));
    }

    private Run poolmta(List<String> args) throws IOException, InterruptedException {
        return Launcher.run(work, args);
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        return Stream.of(parts).flatMap(List::stream).toList();
    }
}
