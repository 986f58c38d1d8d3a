package io.poolmta.sending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.nodelink.ClusterKey;
import io.poolmta.testing.EmbeddedPostgresFixture;
import io.poolmta.testing.NodeProcess;
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
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
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
 * A cluster node killed with SIGKILL under load loses no message any node acknowledged, and while
 * it is down the other node goes on sending every pool that has IPs on it.
 * <p>
 * Two nodes a and b, each a JVM of its own ({@link NodeProcess}), on one database of the embedded
 * PostgreSQL in this JVM, sharing the cluster key as an operator copies it. Pool {@code pool-a}
 * holds two IPs that live on a, {@code pool-b} two that live on b; a configuration set of each
 * name sends through its pool. A {@link ScriptedSmtpServer} sink takes the mail and records the
 * source address of each message; every other pool-b message goes to {@value #HELD_DOMAIN}, whose
 * receiver is down until the kill. Threads submit to both nodes, for both pools, through the SES
 * API and SMTP, each message to a recipient of its own that names its pool; a message counts as
 * acknowledged only once its client has the 200/250. Then:
 * <ol>
 *   <li>b is killed (-9) under load: a is handing pool-b mail over to b, b is delivering pool-b
 *       mail and handing pool-a mail over to a, and its spool holds all the pool-b mail for the
 *       receiver that is down (its own and what a handed over), deferred.
 *   <li>While b is down a's senders go on: every pool-a message a accepted reaches the sink before
 *       b is back (the others keep sending), and none of the pool-b mail a accepted since the kill
 *       does (it waits at a, deferred, never re-routed to another pool).
 *   <li>b starts again on its data directory: every acknowledged message reaches the sink, each
 *       from an IP of its own pool (at least once: duplicates are counted, printed and bounded).
 * </ol>
 * A SIGKILL leaves the kernel's page cache whole: this shows that no node acknowledges a message
 * (to a client, or to the node that handed it over) before it has written it, not that it was on
 * the disk (only a machine crash would show that; the spool's fsync before the answer is its own
 * tests' matter).
 */
class ClusterCrashRecoveryIT {
    private static final String DOMAIN = "crash.test";
    /**
     * Half of the pool-b mail goes here: until b is killed its route leads to a closed port (the
     * receiver is down), so b's spool holds that mail at the kill, deferred; then it leads to the
     * sink too.
     */
    private static final String HELD_DOMAIN = "held.crash.test";

    private static final String SENDER = "load@crash.example";
    private static final Map<String, List<String>> POOL_IPS = Map.of(
            "pool-a", List.of("127.0.0.71", "127.0.0.72"),
            "pool-b", List.of("127.0.0.81", "127.0.0.82"));
    private static final List<String> POOLS = List.of("pool-a", "pool-b");

    /** Acknowledgements before the kill, in all, and at least this many per (node, pool). */
    private static final int ACKS_BEFORE_KILL = 400;

    private static final int ACKS_PER_FLOW_BEFORE_KILL = 25;
    /** Acknowledgements of a, per pool, while b is down. */
    private static final int ACKS_PER_POOL_DURING_OUTAGE = 40;
    /** SMTP senders open a new connection after this many messages. */
    private static final int SMTP_MESSAGES_PER_CONNECTION = 25;
    /** Upper bound on send attempts per sender thread, so no loop can run away. */
    private static final int MAX_ATTEMPTS_PER_SENDER = 5_000;

    /**
     * How many messages the crash may deliver twice: b's deliveries whose outcome was not yet
     * written (at most one per connection: 10 per source IP, {@code CrashRecoveryIT} explains
     * it), b's hand-overs to a that a stored but b had not yet marked done, and an allowance for
     * outcomes still in b's spool writer's queue, as in {@code CrashRecoveryIT}.
     */
    private static final int DUPLICATE_BOUND = 2 * 10 + 2 + 100;

    private static final Duration WAIT = Duration.ofSeconds(60);

    /** When a sender started a message: before the kill, or once b was gone. */
    private enum Phase {
        BEFORE_KILL,
        B_DOWN
    }

    /** An acknowledged message: the node that took it, its pool, how, and when it was begun. */
    record Ack(String node, String pool, String via, Phase phase) {}

    private final Map<String, Ack> acknowledged = new ConcurrentHashMap<>();
    private final List<String> senderErrors = new CopyOnWriteArrayList<>();
    private volatile Phase phase = Phase.BEFORE_KILL;

    private Path work;
    private ScriptedSmtpServer sink;
    private final List<NodeProcess> processes = new ArrayList<>();
    private final List<SesV2Client> clients = new ArrayList<>();

    @AfterEach
    void cleanUp() throws Exception {
        clients.forEach(SesV2Client::close);
        for (NodeProcess p : processes) {
            p.close();
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
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aNodeKilledUnderLoadLosesNoAcknowledgedMailAndTheOtherKeepsSending() throws Exception {
        Instant started = Instant.now();
        work = Files.createTempDirectory("poolmta-cluster-crash");
        sink = ScriptedSmtpServer.acceptingAll();
        String database = EmbeddedPostgresFixture.freshDatabase();
        Path dataA = work.resolve("a");
        Path dataB = work.resolve("b");
        // the operator makes the cluster key once and copies it to every node's data directory
        ClusterKey.inDataDirectory(dataA, Clock.systemUTC());
        Files.createDirectories(dataB.resolve(ClusterKey.FILE).getParent());
        Files.copy(dataA.resolve(ClusterKey.FILE), dataB.resolve(ClusterKey.FILE));

        NodeProcess a = started(NodeProcess.start("a", dataA, database, freePort(), work));
        NodeProcess b = started(NodeProcess.start("b", dataB, database, freePort(), work));
        a.awaitServing();
        b.awaitServing();

        JsonNode account = setUp(a, b);
        JsonNode smtp = a.admin().ok("POST", "/accounts/crash/smtp-credentials", "{}");
        SesV2Client sesA = ses(a, account);
        SesV2Client sesB = ses(b, account);
        awaitEveryFlowWorks(Map.of(a, sesA, b, sesB), smtp);
        Duration setUp = Duration.between(started, Instant.now());

        // load on both nodes, for both pools
        AtomicBoolean stopA = new AtomicBoolean();
        AtomicBoolean stopB = new AtomicBoolean();
        List<Thread> senders = new ArrayList<>();
        for (String pool : POOLS) {
            senders.add(apiSender(a, sesA, pool, stopA));
            senders.add(apiSender(b, sesB, pool, stopB));
        }
        senders.add(smtpSender(a, smtp, stopA));
        senders.add(smtpSender(b, smtp, stopB));
        await("%d acknowledgements, %d per node and pool, before the kill (sender errors: %s)"
                        .formatted(ACKS_BEFORE_KILL, ACKS_PER_FLOW_BEFORE_KILL, senderErrors))
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> readyToKill() || senders.stream().noneMatch(Thread::isAlive));
        assertThat(readyToKill())
                .as("load before the kill; sender errors: %s", senderErrors)
                .isTrue();
        assertThat(senderErrors).as("errors before the kill").isEmpty();

        // kill -9 b while every sender is busy; a's go on
        b.kill();
        int atSinkAtKill = sink.messages().size();
        stopB.set(true);
        phase = Phase.B_DOWN;
        Instant killed = Instant.now();
        // the receiver that was down is back: what b held for it waits for b, what a holds for b too
        a.admin().ok("PUT", "/routes/" + HELD_DOMAIN, "{\"NextHop\":\"" + sink.nextHop() + "\"}");

        await("%d acknowledgements per pool at a while b is down (sender errors: %s)"
                        .formatted(ACKS_PER_POOL_DURING_OUTAGE, senderErrors))
                .atMost(WAIT)
                .pollInterval(Duration.ofMillis(5))
                .until(() -> POOLS.stream().allMatch(p -> count("a", p, Phase.B_DOWN) >= ACKS_PER_POOL_DURING_OUTAGE)
                        || senders.stream().noneMatch(Thread::isAlive));
        stopA.set(true);
        for (Thread sender : senders) {
            sender.join(Duration.ofSeconds(30));
            assertThat(sender.isAlive()).as("%s stopped", sender.getName()).isFalse();
        }
        List<String> errorsAtA =
                senderErrors.stream().filter(e -> e.startsWith("a ")).toList();
        assertThat(errorsAtA).as("a's senders while b is down").isEmpty();

        // the others keep sending: every pool-a message a accepted leaves a while b is down
        Set<String> poolAAtA = keys(k -> k.node().equals("a") && k.pool().equals("pool-a"));
        awaitAtSink(poolAAtA, Duration.ofSeconds(30), "pool-a mail accepted at a, while b is down");
        // and pool-b mail a accepted since b was gone waits for b: none of it left, from anywhere
        Set<String> heldAtA = keys(k -> k.node().equals("a") && k.pool().equals("pool-b") && k.phase() == Phase.B_DOWN);
        assertThat(heldAtA).hasSizeGreaterThanOrEqualTo(ACKS_PER_POOL_DURING_OUTAGE);
        assertThat(received().keySet())
                .as("pool-b mail a accepted while b was down, at the sink before b is back")
                .doesNotContainAnyElementsOf(heldAtA);
        assertThat(sink.messages().stream()
                        .skip(atSinkAtKill)
                        .map(ReceivedMessage::sourceAddress)
                        .filter(POOL_IPS.get("pool-b")::contains)
                        .count())
                .as("messages from b's IPs that reached the sink after b was gone (at most the ones"
                        + " in the sink's socket buffers at the kill)")
                .isLessThanOrEqualTo(2 * 10);
        Duration outage = Duration.between(killed, Instant.now());

        // b back on its data directory: every acknowledged message arrives, each from its pool
        int atSinkAtRestart = sink.messages().size();
        b = started(b.restart());
        b.awaitServing();
        Instant restarted = Instant.now();
        Map<String, Integer> received = awaitAtSink(acknowledged.keySet(), WAIT, "every acknowledged message");
        Duration recovery = Duration.between(restarted, Instant.now());

        List<String> wrongSource = new ArrayList<>();
        for (ReceivedMessage m : sink.messages()) {
            for (String rcpt : m.recipients()) {
                String pool = rcpt.substring(0, rcpt.indexOf('.'));
                if (!POOL_IPS.get(pool).contains(m.sourceAddress())) {
                    wrongSource.add(rcpt + " from " + m.sourceAddress());
                }
            }
        }
        assertThat(wrongSource)
                .as("messages that left from an IP outside their pool")
                .isEmpty();
        int duplicates = received.values().stream().mapToInt(n -> n - 1).sum();
        Set<String> beforeRestart = sink.messages().stream()
                .limit(atSinkAtRestart)
                .flatMap(m -> m.recipients().stream())
                .collect(Collectors.toSet());
        Map<String, Long> waited = acknowledged.entrySet().stream()
                .filter(e -> !beforeRestart.contains(e.getKey()))
                .collect(Collectors.groupingBy(e -> e.getValue().node(), TreeMap::new, Collectors.counting()));
        // b's spool held mail at the kill: all it had taken for the receiver that was down
        Set<String> heldAtB = keys(k -> k.node().equals("b") && k.pool().equals("pool-b"));
        heldAtB.removeIf(rcpt -> !rcpt.endsWith("@" + HELD_DOMAIN));
        assertThat(heldAtB).hasSizeGreaterThanOrEqualTo(10);
        assertThat(beforeRestart).doesNotContainAnyElementsOf(heldAtB);
        long begunBeforeKill = acknowledged.values().stream()
                .filter(k -> k.phase() == Phase.BEFORE_KILL)
                .count();
        String report = ("%d acknowledged (%d begun before the kill: %s; %d at a while b was down), %d recipients at"
                        + " the sink; %s of them arrived only once b was back, by the node that took them;"
                        + " %d duplicate(s) (bound %d); set-up %d ms, outage %d ms, recovery %d ms")
                .formatted(
                        acknowledged.size(),
                        begunBeforeKill,
                        flows(Phase.BEFORE_KILL),
                        acknowledged.size() - begunBeforeKill,
                        received.size(),
                        waited,
                        duplicates,
                        DUPLICATE_BOUND,
                        setUp.toMillis(),
                        outage.toMillis(),
                        recovery.toMillis());
        System.out.println("[ClusterCrashRecoveryIT] " + report);
        assertThat(duplicates).as(report).isLessThanOrEqualTo(DUPLICATE_BOUND);

        // both stop cleanly afterwards
        a.stop();
        b.stop();
    }

    private NodeProcess started(NodeProcess node) {
        processes.add(node);
        return node;
    }

    private boolean readyToKill() {
        if (acknowledged.size() < ACKS_BEFORE_KILL) {
            return false;
        }
        for (String node : List.of("a", "b")) {
            for (String pool : POOLS) {
                if (count(node, pool, Phase.BEFORE_KILL) < ACKS_PER_FLOW_BEFORE_KILL) {
                    return false;
                }
            }
        }
        return true;
    }

    private long count(String node, String pool, Phase when) {
        return acknowledged.values().stream()
                .filter(k -> k.node().equals(node) && k.pool().equals(pool) && k.phase() == when)
                .count();
    }

    private String flows(Phase when) {
        return acknowledged.values().stream()
                .filter(k -> k.phase() == when)
                .collect(Collectors.groupingBy(k -> k.pool() + " at " + k.node(), TreeMap::new, Collectors.counting()))
                .toString();
    }

    private Set<String> keys(Predicate<Ack> which) {
        return acknowledged.entrySet().stream()
                .filter(e -> which.test(e.getValue()))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    /** Waits until every one of {@code expected} is at the sink; returns per recipient how often it came. */
    private Map<String, Integer> awaitAtSink(Set<String> expected, Duration timeout, String what) {
        try {
            await(what + " at the sink")
                    .atMost(timeout)
                    .pollInterval(Duration.ofMillis(100))
                    .until(() -> received().keySet().containsAll(expected));
        } catch (ConditionTimeoutException e) {
            Set<String> lost = new TreeSet<>(expected);
            lost.removeAll(received().keySet());
            throw new AssertionError(
                    lost.size() + " of " + expected.size() + " (" + what + ") never reached the sink, e.g. "
                            + lost.stream()
                                    .limit(20)
                                    .map(k -> k + " " + acknowledged.get(k))
                                    .toList(),
                    e);
        }
        return received();
    }

    private Map<String, Integer> received() {
        Map<String, Integer> counts = new HashMap<>();
        for (ReceivedMessage m : sink.messages()) {
            for (String rcpt : m.recipients()) {
                counts.merge(rcpt, 1, Integer::sum);
            }
        }
        return counts;
    }

    /**
     * The operator's part (routes, the account, each node's IPs added through that node) and the
     * account's (its sender identity, the two pools and their configuration sets), all through a
     * but the IPs that live on b.
     */
    private JsonNode setUp(NodeProcess a, NodeProcess b) throws IOException {
        int closedPort = freePort();
        a.admin().ok("PUT", "/routes/" + DOMAIN, "{\"NextHop\":\"" + sink.nextHop() + "\"}");
        a.admin().ok("PUT", "/routes/" + HELD_DOMAIN, "{\"NextHop\":\"127.0.0.1:" + closedPort + "\"}");
        JsonNode account = a.admin().ok("POST", "/accounts", "{\"Name\":\"crash\"}");
        a.admin().ok("POST", "/accounts/crash/production-access", "{\"Max24HourSend\":-1,\"MaxSendRate\":-1}");
        a.admin().ok("POST", "/ips", ips("pool-a"));
        b.admin().ok("POST", "/ips", ips("pool-b"));
        SesV2Client ses = ses(a, account);
        // already-warm IPs: this test is about durability, not warm-up caps
        ses.putAccountDedicatedIpWarmupAttributes(r -> r.autoWarmupEnabled(false));
        String domain = SENDER.substring(SENDER.indexOf('@') + 1);
        ses.createEmailIdentity(r -> r.emailIdentity(domain));
        // its DKIM key is a file at a only: unsigned, b can send its mail as well
        ses.putEmailIdentityDkimAttributes(r -> r.emailIdentity(domain).signingEnabled(false));
        a.admin().ok("POST", "/accounts/crash/identities/" + domain + "/verify", "");
        for (String pool : POOLS) {
            ses.createDedicatedIpPool(r -> r.poolName(pool));
            for (String ip : POOL_IPS.get(pool)) {
                ses.putDedicatedIpInPool(r -> r.ip(ip).destinationPoolName(pool));
            }
            ses.createConfigurationSet(r -> r.configurationSetName(pool).deliveryOptions(d -> d.sendingPoolName(pool)));
        }
        return account;
    }

    private static String ips(String pool) {
        return "{\"Role\":\"DEDICATED\",\"Account\":\"crash\",\"Ips\":["
                + POOL_IPS.get(pool).stream().map(ip -> "\"" + ip + "\"").collect(Collectors.joining(","))
                + "]}";
    }

    /**
     * One message per node, pool and way in, each retried until its node takes it (b hears a's
     * writes through the change feed, within a second), and all of them at the sink.
     */
    private void awaitEveryFlowWorks(Map<NodeProcess, SesV2Client> ses, JsonNode smtp) {
        Set<String> probes = new TreeSet<>();
        ses.forEach((node, client) -> {
            for (String pool : POOLS) {
                String api = "%s.probe-%s-api@%s".formatted(pool, node.name(), DOMAIN);
                await("probe " + api)
                        .atMost(Duration.ofSeconds(10))
                        .ignoreExceptions()
                        .until(() -> {
                            sendApi(client, pool, api);
                            return true;
                        });
                String viaSmtp = "%s.probe-%s-smtp@%s".formatted(pool, node.name(), DOMAIN);
                await("probe " + viaSmtp)
                        .atMost(Duration.ofSeconds(10))
                        .ignoreExceptions()
                        .until(() -> {
                            Transport t = connect(node, smtp);
                            try {
                                sendSmtp(t, pool, viaSmtp);
                            } finally {
                                t.close();
                            }
                            return true;
                        });
                probes.add(api);
                probes.add(viaSmtp);
            }
        });
        awaitAtSink(probes, Duration.ofSeconds(30), "the probes");
    }

    private Thread apiSender(NodeProcess node, SesV2Client ses, String pool, AtomicBoolean stop) {
        String flow = node.name() + "-api-" + pool;
        return Thread.ofPlatform().name(flow).start(() -> {
            for (int n = 0; n < MAX_ATTEMPTS_PER_SENDER && !stop.get(); n++) {
                String rcpt = "%s.%s-api-%d@%s".formatted(pool, node.name(), n, domain(pool, n));
                Phase begun = phase;
                try {
                    sendApi(ses, pool, rcpt);
                    acknowledged.put(rcpt, new Ack(node.name(), pool, "SendEmail", begun));
                } catch (RuntimeException e) {
                    if (!stop.get()) {
                        senderErrors.add(node.name() + " " + rcpt + ": " + e);
                    }
                }
            }
        });
    }

    /** Over SMTP submission, the pools in turn (the X-SES-CONFIGURATION-SET header). */
    private Thread smtpSender(NodeProcess node, JsonNode credentials, AtomicBoolean stop) {
        return Thread.ofPlatform().name(node.name() + "-smtp").start(() -> {
            Transport transport = null;
            try {
                for (int n = 0; n < MAX_ATTEMPTS_PER_SENDER && !stop.get(); n++) {
                    String pool = POOLS.get(n % POOLS.size());
                    String rcpt = "%s.%s-smtp-%d@%s".formatted(pool, node.name(), n, domain(pool, n / 2));
                    Phase begun = phase;
                    try {
                        if (transport == null || n % SMTP_MESSAGES_PER_CONNECTION == 0) {
                            closeQuietly(transport);
                            transport = null;
                            transport = connect(node, credentials);
                        }
                        sendSmtp(transport, pool, rcpt); // returns after the 250
                        acknowledged.put(rcpt, new Ack(node.name(), pool, "SMTP", begun));
                    } catch (MessagingException | RuntimeException e) {
                        if (!stop.get()) {
                            senderErrors.add(node.name() + " " + rcpt + ": " + e);
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

    /** Every other pool-b message to the domain whose receiver is down until the kill. */
    private static String domain(String pool, int n) {
        return pool.equals("pool-b") && n % 2 == 1 ? HELD_DOMAIN : DOMAIN;
    }

    private static void sendApi(SesV2Client ses, String pool, String rcpt) {
        ses.sendEmail(r -> r.fromEmailAddress(SENDER)
                .configurationSetName(pool)
                .destination(d -> d.toAddresses(rcpt))
                .content(c -> c.simple(s -> s.subject(x -> x.data("crash " + rcpt))
                        .body(x -> x.text(t -> t.data("message for " + rcpt))))));
    }

    private static Transport connect(NodeProcess node, JsonNode credentials) throws MessagingException {
        Properties props = SmtpSubmit.properties("127.0.0.1", node.smtpPort());
        props.put("mail.smtp.connectiontimeout", "10000");
        props.put("mail.smtp.timeout", "15000");
        Transport transport = Session.getInstance(props).getTransport("smtp");
        transport.connect(
                credentials.get("Username").asText(),
                credentials.get("Password").asText());
        return transport;
    }

    private static void sendSmtp(Transport transport, String pool, String rcpt) throws MessagingException {
        MimeMessage message = new MimeMessage(Session.getInstance(new Properties()));
        message.setFrom(new InternetAddress(SENDER));
        message.setRecipients(Message.RecipientType.TO, rcpt);
        message.setHeader("X-SES-CONFIGURATION-SET", pool);
        message.setSubject("crash " + rcpt);
        message.setText("message for " + rcpt);
        transport.sendMessage(message, message.getAllRecipients());
    }

    private static void closeQuietly(Transport transport) {
        if (transport != null) {
            try {
                transport.close();
            } catch (MessagingException | RuntimeException e) {
                // the node may be gone
            }
        }
    }

    private SesV2Client ses(NodeProcess node, JsonNode account) {
        SesV2Client client = SesV2Client.builder()
                .endpointOverride(URI.create(node.apiUrl()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        account.get("AccessKeyId").asText(),
                        account.get("SecretAccessKey").asText())))
                .httpClient(UrlConnectionHttpClient.builder()
                        .connectionTimeout(Duration.ofSeconds(10))
                        .socketTimeout(Duration.ofSeconds(15))
                        .build())
                // one attempt: a retried request could be accepted twice and blur the duplicate count
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
        clients.add(client);
        return client;
    }

    /** A loopback port free right now, for a node link that must keep its port across a restart. */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
