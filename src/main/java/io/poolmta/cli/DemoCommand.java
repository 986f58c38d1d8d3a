package io.poolmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.nodelink.ClusterKey;
import io.poolmta.server.ClusterOptions;
import io.poolmta.server.DataDirectory;
import io.poolmta.server.HostPort;
import io.poolmta.server.PoolMtaServer;
import io.poolmta.server.ServerConfig;
import io.poolmta.sim.SimulatedMailbox;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import jakarta.mail.MessagingException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code poolmta demo}: PoolMTA's main job, end to end, on one machine with no route to the
 * internet. Starts three simulated mailbox providers on loopback, a PoolMTA server on embedded
 * defaults (outbound loopback-only), leases 127.0.0.x addresses to a demo account, groups them into
 * a marketing and a transactional pool, sends mail with several configuration sets — through the
 * SES v2 API, and the transactional receipts through SMTP submission (STARTTLS, AUTH) as an
 * application's mail library does — and prints which addresses each pool's mail left from, as the
 * receivers saw it. The demo's sending domain is a domain identity the operator vouches for; its
 * DKIM key record is published to the simulated receivers (there is no DNS here), which check the
 * signature of every message they accept: the table's DKIM column is what they found.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run PoolMTA end to end on loopback: pools, configuration sets, mail through the SES API and"
                + " SMTP submission to simulated providers, and which IP each pool's mail left from.")
public final class DemoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String[] DOMAINS = {"gmail.demo", "outlook.demo", "yahoo.demo"};
    private static final String SENDING_DOMAIN = "acme.demo";

    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: a new temporary one).")
    Path data;

    @Option(
            names = "--messages",
            paramLabel = "N",
            defaultValue = "20",
            description = "Messages per configuration set (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--keep-running", description = "Keep the server and simulators running afterwards (Ctrl-C stops).")
    boolean keepRunning;

    @Option(
            names = "--nodes",
            paramLabel = "N",
            defaultValue = "1",
            description = "Run a cluster of N nodes (2 to 5) on an embedded PostgreSQL instead of one node"
                    + " (default: ${DEFAULT-VALUE}).")
    int nodes;

    /** How a flow's mail reaches PoolMTA. */
    private enum Via {
        API("SES API"),
        SMTP("SMTP");

        final String label;

        Via(String label) {
            this.label = label;
        }
    }

    private record Flow(String label, Via via, String configurationSet, String pool, List<String> ips) {}

    /** The account's SMTP submission user name and password. */
    private record SmtpLogin(String username, String password) {}

    /** One running node: its server and the clients that talk to it. */
    private record Node(String name, Path dir, PoolMtaServer server, AdminClient admin) {}

    @Override
    public Integer call() throws Exception {
        if (messages < 1 || messages > 10_000) {
            throw new CliException("--messages must be between 1 and 10000");
        }
        if (nodes < 1 || nodes > 5) {
            throw new CliException("--nodes must be between 1 and 5");
        }
        Path dir = data != null ? data : Files.createTempDirectory("poolmta-demo");
        List<SimulatedMailbox> providers = new ArrayList<>();
        for (String domain : DOMAINS) {
            providers.add(new SimulatedMailbox(domain.replace(".demo", "-sim"), "127.0.0.1", 0));
        }
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            List<Node> cluster = startNodes(dir, opened);
            Node first = cluster.getFirst();
            JsonNode account = operatorSetUp(cluster, providers);
            List<SesHttpClient> ses = cluster.stream()
                    .map(n -> new SesHttpClient(
                            n.server().apiUrl(),
                            account.get("AccessKeyId").asText(),
                            account.get("SecretAccessKey").asText()))
                    .toList();
            senderIdentity(ses.getFirst(), first.admin(), providers);
            List<Flow> flows = accountSetUp(ses.getFirst());
            SmtpLogin smtp = smtpCredentials(first.admin());
            awaitClusterSees(ses, flows);
            Instant start = Instant.now();
            Map<String, Long> acceptedAt = new TreeMap<>();
            int sent = send(ses, smtp, cluster, flows, acceptedAt);
            long delivered = awaitDelivery(providers, sent, Duration.ofSeconds(60));
            Map<String, String> ipNode = new TreeMap<>();
            if (cluster.size() > 1) {
                flows.forEach(f -> f.ips()
                        .forEach(ip ->
                                ipNode.put(ip, first.server().nodes().nodeOf(ip).orElse("?"))));
            }
            report(flows, providers, messages, sent, delivered, Duration.between(start, Instant.now()), ipNode);
            if (cluster.size() > 1) {
                System.out.println("Accepted at " + acceptedAt + ", taking the nodes in turn; a message accepted"
                        + " where its pool has no IP was handed over to a node that has one.");
            }
            if (keepRunning) {
                System.out.println();
                System.out.println("Still running. Try: AWS_ACCESS_KEY_ID="
                        + account.get("AccessKeyId").asText()
                        + " AWS_SECRET_ACCESS_KEY="
                        + account.get("SecretAccessKey").asText()
                        + " aws sesv2 get-dedicated-ips --endpoint-url "
                        + first.server().apiUrl()
                        + " --region us-east-1");
                System.out.println("Console: " + first.server().consoleUrl() + "  (Access key ID "
                        + account.get("AccessKeyId").asText() + ", Secret access key "
                        + account.get("SecretAccessKey").asText() + ")");
                System.out.println("Stop with Ctrl-C.");
                CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                stop.await();
            }
            return delivered == sent ? 0 : 1;
        } finally {
            for (AutoCloseable c : opened.reversed()) {
                try {
                    c.close();
                } catch (Exception e) {
                    System.err.println("demo: stopping " + c + ": " + e.getMessage());
                }
            }
            providers.forEach(SimulatedMailbox::close);
            if (data == null) {
                deleteTree(dir);
            }
        }
    }

    /**
     * One node on the embedded database, or {@link #nodes} nodes on an embedded PostgreSQL (the
     * same binaries the tests use), each with its own data directory, node link and name, and the
     * one cluster key they all share (generated once, copied to each, as an operator does).
     */
    private List<Node> startNodes(Path dir, List<AutoCloseable> opened) throws IOException {
        ServerConfig base =
                ServerConfig.defaults().withApi(new HostPort("127.0.0.1", 0)).withSmtp(new HostPort("127.0.0.1", 0));
        if (nodes == 1) {
            PoolMtaServer server = PoolMtaServer.start(base.withDataDir(dir), Clock.systemUTC());
            opened.add(server);
            System.out.println("PoolMTA demo: server on " + server.apiUrl() + " (SMTP " + server.smtpAddress()
                    + "), data in " + dir);
            return List.of(new Node(server.nodes().self(), dir, server, admin(server, dir)));
        }
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dir.resolve("postgresql"))
                .setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .start();
        opened.add(postgres);
        String database = "postgresql://127.0.0.1:" + postgres.getPort() + "/postgres?user=postgres";
        Path key = dir.resolve("node-1").resolve(ClusterKey.FILE);
        ClusterKey.inDataDirectory(dir.resolve("node-1"), Clock.systemUTC());
        List<Node> cluster = new ArrayList<>();
        for (int i = 1; i <= nodes; i++) {
            String name = "node-" + i;
            Path nodeDir = dir.resolve(name);
            if (i > 1) {
                Files.createDirectories(nodeDir.resolve(ClusterKey.FILE).getParent());
                Files.copy(key, nodeDir.resolve(ClusterKey.FILE), StandardCopyOption.REPLACE_EXISTING);
            }
            ServerConfig config = base.withDataDir(nodeDir)
                    .withCluster(ClusterOptions.defaults()
                            .withDatabase(database)
                            .withNode(name)
                            .withNodeLink(new HostPort("127.0.0.1", 0)));
            PoolMtaServer server = PoolMtaServer.start(config, Clock.systemUTC());
            opened.add(server);
            cluster.add(new Node(name, nodeDir, server, admin(server, nodeDir)));
            System.out.println("PoolMTA demo: " + name + " on " + server.apiUrl() + " (SMTP " + server.smtpAddress()
                    + ", node link " + server.nodeLinkAddress().orElse("-") + "), data in " + nodeDir);
        }
        System.out.println("Control plane: embedded PostgreSQL on 127.0.0.1:" + postgres.getPort());
        return cluster;
    }

    private static AdminClient admin(PoolMtaServer server, Path dir) throws IOException {
        return new AdminClient(
                server.apiUrl(), DataDirectory.readOperatorToken(dir).orElseThrow());
    }

    /** Every node answers for the account's configuration sets (the change feed makes it at once). */
    private static void awaitClusterSees(List<SesHttpClient> ses, List<Flow> flows) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(10);
        for (SesHttpClient node : ses) {
            for (Flow flow : flows) {
                if (flow.configurationSet() == null) {
                    continue;
                }
                while (true) {
                    try {
                        node.call("GET", "/v2/email/configuration-sets/" + flow.configurationSet(), null);
                        break;
                    } catch (CliException e) {
                        if (Instant.now().isAfter(deadline)) {
                            throw e;
                        }
                        Thread.sleep(20);
                    }
                }
            }
        }
    }

    /**
     * The operator's part, through the first node: the account, the routes to the simulated
     * providers, and the IPs, each added through the node that holds it (one node: all of them;
     * a cluster: the transactional pool's IPs on the last node, the marketing pool's spread, so
     * mail moves between nodes).
     */
    private static JsonNode operatorSetUp(List<Node> cluster, List<SimulatedMailbox> providers) {
        AdminClient admin = cluster.getFirst().admin();
        JsonNode account = admin.post("/accounts", JSON.createObjectNode().put("Name", "demo"));
        // out of the sandbox (it sends to the simulated providers' users), at any rate
        admin.post("/accounts/demo/production-access", JSON.createObjectNode().put("MaxSendRate", -1));
        Node last = cluster.getLast();
        Node second = cluster.get(Math.min(1, cluster.size() - 1));
        addIps(cluster.getFirst().admin(), "DEDICATED", List.of("127.0.0.11"), "mkt.demo.poolmta.test");
        addIps(second.admin(), "DEDICATED", List.of("127.0.0.12"), "mkt.demo.poolmta.test");
        addIps(last.admin(), "DEDICATED", List.of("127.0.0.21", "127.0.0.22"), "tx.demo.poolmta.test");
        addIps(cluster.getFirst().admin(), "DEDICATED", List.of("127.0.0.31"), "default.demo.poolmta.test");
        addIps(second.admin(), "SHARED", List.of("127.0.0.2"), "shared.demo.poolmta.test");
        for (int i = 0; i < DOMAINS.length; i++) {
            admin.put(
                    "/routes/" + DOMAINS[i],
                    JSON.createObjectNode().put("NextHop", providers.get(i).hostPort()));
        }
        return account;
    }

    /**
     * The sending domain as a verified identity: created by the account (PoolMTA makes its DKIM
     * key), vouched for by the operator, its key record published to the receivers.
     */
    private static void senderIdentity(SesHttpClient ses, AdminClient admin, List<SimulatedMailbox> providers) {
        ses.call("POST", "/v2/email/identities", JSON.createObjectNode().put("EmailIdentity", SENDING_DOMAIN));
        JsonNode identity =
                admin.post("/accounts/demo/identities/" + SENDING_DOMAIN + "/verify", JSON.createObjectNode());
        for (JsonNode record : identity.get("DnsRecords")) {
            providers.forEach(p -> p.publishDkimKey(
                    record.get("Name").asText(), record.get("Value").asText()));
        }
    }

    /** SMTP submission credentials for the demo account, made by the operator. */
    private static SmtpLogin smtpCredentials(AdminClient admin) {
        JsonNode created = admin.post("/accounts/demo/smtp-credentials", JSON.createObjectNode());
        return new SmtpLogin(
                created.get("Username").asText(), created.get("Password").asText());
    }

    private static void addIps(AdminClient admin, String role, List<String> ips, String ehlo) {
        ObjectNode body = JSON.createObjectNode().put("Role", role).put("Ehlo", ehlo);
        if (role.equals("DEDICATED")) {
            body.put("Account", "demo");
        }
        ips.forEach(body.putArray("Ips")::add);
        admin.post("/ips", body);
    }

    private static List<Flow> accountSetUp(SesHttpClient ses) {
        List<Flow> flows = List.of(
                new Flow(
                        "marketing newsletter", Via.API, "marketing", "marketing", List.of("127.0.0.11", "127.0.0.12")),
                new Flow(
                        "transactional receipts",
                        Via.SMTP,
                        "transactional",
                        "transactional",
                        List.of("127.0.0.21", "127.0.0.22")),
                new Flow("no configuration set", Via.API, null, "ses-default-dedicated-pool", List.of("127.0.0.31")),
                new Flow("shared-pool mail", Via.API, "shared", "ses-shared-pool", List.of("127.0.0.2")));
        for (String pool : List.of("marketing", "transactional")) {
            ses.call(
                    "POST",
                    "/v2/email/dedicated-ip-pools",
                    JSON.createObjectNode().put("PoolName", pool));
        }
        for (Flow flow : flows) {
            if (flow.pool().equals("marketing") || flow.pool().equals("transactional")) {
                for (String ip : flow.ips()) {
                    ses.call(
                            "PUT",
                            "/v2/email/dedicated-ips/" + ip + "/pool",
                            JSON.createObjectNode().put("DestinationPoolName", flow.pool()));
                }
            }
            if (flow.configurationSet() != null) {
                ObjectNode set = JSON.createObjectNode().put("ConfigurationSetName", flow.configurationSet());
                set.putObject("DeliveryOptions").put("SendingPoolName", flow.pool());
                ses.call("POST", "/v2/email/configuration-sets", set);
            }
        }
        return flows;
    }

    /**
     * Sends each flow's messages, taking the nodes in turn, through the SES API or the node's SMTP
     * submission port (one authenticated connection a node); counts where each was accepted.
     */
    private int send(
            List<SesHttpClient> ses,
            SmtpLogin login,
            List<Node> cluster,
            List<Flow> flows,
            Map<String, Long> acceptedAt)
            throws IOException, MessagingException {
        Map<Integer, DemoSubmissionClient> smtp = new TreeMap<>();
        try {
            int sent = 0;
            for (Flow flow : flows) {
                for (int i = 0; i < messages; i++) {
                    String to = "user" + i + "@" + DOMAINS[(sent + i) % DOMAINS.length];
                    String subject = flow.label() + " #" + i;
                    int node = (sent + i) % ses.size();
                    if (flow.via() == Via.SMTP) {
                        DemoSubmissionClient client = smtp.get(node);
                        if (client == null) {
                            Node n = cluster.get(node);
                            client = DemoSubmissionClient.connect(
                                    n.server().smtpAddress(), n.dir(), login.username(), login.password());
                            smtp.put(node, client);
                        }
                        client.send(
                                "hello@" + SENDING_DOMAIN,
                                to,
                                flow.configurationSet(),
                                subject,
                                "Sent by the PoolMTA demo.");
                    } else {
                        ses.get(node).call("POST", "/v2/email/outbound-emails", apiRequest(flow, to, subject));
                    }
                    acceptedAt.merge(cluster.get(node).name(), 1L, Long::sum);
                }
                sent += messages;
            }
            return sent;
        } finally {
            for (DemoSubmissionClient client : smtp.values()) {
                client.close();
            }
        }
    }

    private static ObjectNode apiRequest(Flow flow, String to, String subject) {
        ObjectNode request = JSON.createObjectNode().put("FromEmailAddress", "hello@" + SENDING_DOMAIN);
        request.putObject("Destination").putArray("ToAddresses").add(to);
        if (flow.configurationSet() != null) {
            request.put("ConfigurationSetName", flow.configurationSet());
        }
        ObjectNode simple = request.putObject("Content").putObject("Simple");
        simple.putObject("Subject").put("Data", subject);
        simple.putObject("Body").putObject("Text").put("Data", "Sent by the PoolMTA demo.");
        return request;
    }

    private static long awaitDelivery(List<SimulatedMailbox> providers, int expected, Duration timeout)
            throws InterruptedException {
        Instant deadline = Instant.now().plus(timeout);
        long received = 0;
        while (Instant.now().isBefore(deadline)) {
            received = providers.stream().mapToLong(SimulatedMailbox::accepted).sum();
            if (received >= expected) {
                return received;
            }
            Thread.sleep(50);
        }
        return received;
    }

    /**
     * Each address belongs to exactly one flow, so a flow's mail all left from its own pool exactly
     * when its addresses together received {@code perFlow} messages.
     */
    private static void report(
            List<Flow> flows,
            List<SimulatedMailbox> providers,
            int perFlow,
            int sent,
            long delivered,
            Duration took,
            Map<String, String> ipNode) {
        Map<String, Long> bySource = new TreeMap<>();
        Map<String, Long> dkimBySource = new TreeMap<>();
        for (SimulatedMailbox p : providers) {
            p.acceptedBySource().forEach((ip, n) -> bySource.merge(ip, n, Long::sum));
            p.dkimPassedBySource().forEach((ip, n) -> dkimBySource.merge(ip, n, Long::sum));
        }
        System.out.println();
        System.out.printf(
                "%-24s %-8s %-16s %-28s %-14s %s%n",
                "MAIL",
                "VIA",
                "CONFIG SET",
                "POOL",
                "DKIM VERIFIED",
                ipNode.isEmpty()
                        ? "LEFT FROM (as the receivers saw it)"
                        : "LEFT FROM, ON NODE (as the receivers saw it)");
        for (Flow flow : flows) {
            Map<String, Long> seen = new LinkedHashMap<>();
            for (String ip : flow.ips()) {
                seen.put(ip, bySource.getOrDefault(ip, 0L));
            }
            StringBuilder from = new StringBuilder();
            seen.forEach((ip, n) -> from.append(from.isEmpty() ? "" : ", ")
                    .append(ip)
                    .append(ipNode.containsKey(ip) ? " on " + ipNode.get(ip) : "")
                    .append(" (")
                    .append(n)
                    .append(")"));
            long received = flow.ips().stream()
                    .mapToLong(ip -> bySource.getOrDefault(ip, 0L))
                    .sum();
            long verified = flow.ips().stream()
                    .mapToLong(ip -> dkimBySource.getOrDefault(ip, 0L))
                    .sum();
            System.out.printf(
                    "%-24s %-8s %-16s %-28s %-14s %s%n",
                    flow.label(),
                    flow.via().label,
                    flow.configurationSet() == null ? "-" : flow.configurationSet(),
                    flow.pool(),
                    verified + " of " + received,
                    from);
        }
        long fromOwnPool = flows.stream()
                .mapToLong(f -> Math.min(
                        perFlow,
                        f.ips().stream()
                                .mapToLong(ip -> bySource.getOrDefault(ip, 0L))
                                .sum()))
                .sum();
        long stray = delivered - fromOwnPool;
        System.out.println();
        System.out.printf(
                "%d of %d messages delivered in %.1f s; %d left from an address outside their pool;"
                        + " the receivers verified the DKIM signature (d=%s) of %d.%n",
                delivered,
                sent,
                took.toMillis() / 1000.0,
                stray,
                SENDING_DOMAIN,
                dkimBySource.values().stream().mapToLong(Long::longValue).sum());
        for (SimulatedMailbox p : providers) {
            System.out.println("  " + p.name() + " received " + p.accepted() + " from "
                    + p.acceptedBySource().keySet());
        }
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
            // a temporary directory; leave it if it cannot be removed
        }
    }
}
