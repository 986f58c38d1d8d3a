package io.poolmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.server.DataDirectory;
import io.poolmta.server.HostPort;
import io.poolmta.server.PoolMtaServer;
import io.poolmta.server.ServerConfig;
import io.poolmta.sim.SimulatedMailbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * a marketing and a transactional pool, sends mail through the SES v2 API with several
 * configuration sets, and prints which addresses each pool's mail left from, as the receivers saw
 * it. The demo's sending domain is a domain identity the operator vouches for; its DKIM key record
 * is published to the simulated receivers (there is no DNS here), which check the signature of
 * every message they accept: the table's DKIM column is what they found.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run PoolMTA end to end on loopback: pools, configuration sets, mail through the SES API to"
                + " simulated providers, and which IP each pool's mail left from.")
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

    private record Flow(String label, String configurationSet, String pool, List<String> ips) {}

    @Override
    public Integer call() throws Exception {
        if (messages < 1 || messages > 10_000) {
            throw new CliException("--messages must be between 1 and 10000");
        }
        Path dir = data != null ? data : Files.createTempDirectory("poolmta-demo");
        List<SimulatedMailbox> providers = new ArrayList<>();
        for (String domain : DOMAINS) {
            providers.add(new SimulatedMailbox(domain.replace(".demo", "-sim"), "127.0.0.1", 0));
        }
        ServerConfig config = ServerConfig.defaults()
                .withDataDir(dir)
                .withApi(new HostPort("127.0.0.1", 0))
                .withSmtp(new HostPort("127.0.0.1", 0));
        PoolMtaServer server = PoolMtaServer.start(config, Clock.systemUTC());
        try {
            System.out.println("PoolMTA demo: server on " + server.apiUrl() + " (SMTP " + server.smtpAddress()
                    + "), data in " + dir);
            AdminClient admin = new AdminClient(
                    server.apiUrl(), DataDirectory.readOperatorToken(dir).orElseThrow());
            JsonNode account = operatorSetUp(admin, providers);
            SesHttpClient ses = new SesHttpClient(
                    server.apiUrl(),
                    account.get("AccessKeyId").asText(),
                    account.get("SecretAccessKey").asText());
            senderIdentity(ses, admin, providers);
            List<Flow> flows = accountSetUp(ses);
            Instant start = Instant.now();
            int sent = send(ses, flows);
            long delivered = awaitDelivery(providers, sent, Duration.ofSeconds(60));
            report(flows, providers, messages, sent, delivered, Duration.between(start, Instant.now()));
            if (keepRunning) {
                System.out.println();
                System.out.println("Still running. Try: AWS_ACCESS_KEY_ID="
                        + account.get("AccessKeyId").asText()
                        + " AWS_SECRET_ACCESS_KEY="
                        + account.get("SecretAccessKey").asText()
                        + " aws sesv2 get-dedicated-ips --endpoint-url " + server.apiUrl() + " --region us-east-1");
                System.out.println("Console: " + server.consoleUrl() + "  (Access key ID "
                        + account.get("AccessKeyId").asText() + ", Secret access key "
                        + account.get("SecretAccessKey").asText() + ")");
                System.out.println("Stop with Ctrl-C.");
                CountDownLatch stop = new CountDownLatch(1);
                Runtime.getRuntime().addShutdownHook(new Thread(stop::countDown));
                stop.await();
            }
            return delivered == sent ? 0 : 1;
        } finally {
            server.close();
            providers.forEach(SimulatedMailbox::close);
            if (data == null) {
                deleteTree(dir);
            }
        }
    }

    private static JsonNode operatorSetUp(AdminClient admin, List<SimulatedMailbox> providers) {
        JsonNode account = admin.post("/accounts", JSON.createObjectNode().put("Name", "demo"));
        // out of the sandbox (it sends to the simulated providers' users), at any rate
        admin.post("/accounts/demo/production-access", JSON.createObjectNode().put("MaxSendRate", -1));
        addIps(admin, "DEDICATED", List.of("127.0.0.11", "127.0.0.12"), "mkt.demo.poolmta.test");
        addIps(admin, "DEDICATED", List.of("127.0.0.21", "127.0.0.22"), "tx.demo.poolmta.test");
        addIps(admin, "DEDICATED", List.of("127.0.0.31"), "default.demo.poolmta.test");
        addIps(admin, "SHARED", List.of("127.0.0.2"), "shared.demo.poolmta.test");
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
                new Flow("marketing newsletter", "marketing", "marketing", List.of("127.0.0.11", "127.0.0.12")),
                new Flow(
                        "transactional receipts",
                        "transactional",
                        "transactional",
                        List.of("127.0.0.21", "127.0.0.22")),
                new Flow("no configuration set", null, "ses-default-dedicated-pool", List.of("127.0.0.31")),
                new Flow("shared-pool mail", "shared", "ses-shared-pool", List.of("127.0.0.2")));
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

    private int send(SesHttpClient ses, List<Flow> flows) {
        int sent = 0;
        for (Flow flow : flows) {
            for (int i = 0; i < messages; i++) {
                ObjectNode request = JSON.createObjectNode().put("FromEmailAddress", "hello@" + SENDING_DOMAIN);
                request.putObject("Destination")
                        .putArray("ToAddresses")
                        .add("user" + i + "@" + DOMAINS[(sent + i) % DOMAINS.length]);
                if (flow.configurationSet() != null) {
                    request.put("ConfigurationSetName", flow.configurationSet());
                }
                ObjectNode simple = request.putObject("Content").putObject("Simple");
                simple.putObject("Subject").put("Data", flow.label() + " #" + i);
                simple.putObject("Body").putObject("Text").put("Data", "Sent by the PoolMTA demo.");
                ses.call("POST", "/v2/email/outbound-emails", request);
            }
            sent += messages;
        }
        return sent;
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
            List<Flow> flows, List<SimulatedMailbox> providers, int perFlow, int sent, long delivered, Duration took) {
        Map<String, Long> bySource = new TreeMap<>();
        Map<String, Long> dkimBySource = new TreeMap<>();
        for (SimulatedMailbox p : providers) {
            p.acceptedBySource().forEach((ip, n) -> bySource.merge(ip, n, Long::sum));
            p.dkimPassedBySource().forEach((ip, n) -> dkimBySource.merge(ip, n, Long::sum));
        }
        System.out.println();
        System.out.printf(
                "%-24s %-16s %-28s %-14s %s%n",
                "MAIL", "CONFIG SET", "POOL", "DKIM VERIFIED", "LEFT FROM (as the receivers saw it)");
        for (Flow flow : flows) {
            Map<String, Long> seen = new LinkedHashMap<>();
            for (String ip : flow.ips()) {
                seen.put(ip, bySource.getOrDefault(ip, 0L));
            }
            StringBuilder from = new StringBuilder();
            seen.forEach((ip, n) -> from.append(from.isEmpty() ? "" : ", ")
                    .append(ip)
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
                    "%-24s %-16s %-28s %-14s %s%n",
                    flow.label(),
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
