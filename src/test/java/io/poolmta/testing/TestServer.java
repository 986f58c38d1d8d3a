package io.poolmta.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.delivery.DeliverySettings;
import io.poolmta.delivery.smtp.SmtpClientSettings;
import io.poolmta.events.WebhookSettings;
import io.poolmta.ip.NodeDirectory;
import io.poolmta.nodelink.ClusterKey;
import io.poolmta.sending.QueueLimit;
import io.poolmta.server.DataDirectory;
import io.poolmta.server.HostPort;
import io.poolmta.server.PoolMtaServer;
import io.poolmta.server.ServerConfig;
import io.poolmta.server.ServerEnvironment;
import io.poolmta.server.SocketBindCheck;
import io.poolmta.spool.FileChannelFactory;
import io.poolmta.submission.TlsCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * A real PoolMTA server for end-to-end tests: its own data directory, a free loopback port, a
 * clock the test controls for the domain (SigV4 checks the wall clock). Talk to it through
 * {@link #ses(TestAccount)} (the AWS SDK v2 client) and {@link #admin()} (the admin API). With
 * {@code POOLMTA_TEST_DATABASE=postgresql} in the environment (or the system property
 * {@code poolmta.test.database}), each server keeps its control plane in a fresh database of the
 * embedded PostgreSQL instead of H2 in its data directory (kept across restarts).
 *
 * <p>With {@code POOLMTA_TEST_CLUSTER=3} (or the system property {@code poolmta.test.cluster}) it is
 * a cluster: node {@code n1} on the test's data directory and peers {@code n2..nN} on data
 * directories of their own, each on its own loopback ports, all on one fresh database of the
 * embedded PostgreSQL, sharing the test's clock and the cluster key. Every SES API call of the
 * clients {@link #ses} hands out then goes to a node picked at random, and so does every admin API
 * call of {@link #admin()}; what is inherently one node's stays on {@code n1}, the node the test
 * means: sending ({@code SendEmail}, {@code SendBulkEmail}: the node's own spool, delivery and
 * event files) and adding IPs (an IP lives on the node it is added at). Private DKIM keys travel
 * through the database, sealed under the cluster key. {@link #server()}, {@link
 * #url()}, {@link #dataDir()} and SMTP are {@code n1}'s.
 */
public final class TestServer implements AutoCloseable {
    /** The webhook allow-list tests run with: loopback receivers are allowed. */
    public static final List<String> LOOPBACK = List.of("127.0.0.0/8");
    /** The domains the suite sends from: {@link #createAccount} makes them verified senders. */
    public static final List<String> SENDER_DOMAINS = List.of(
            "example.com",
            "example.net",
            "example.org",
            "acme.test",
            "poolmta.test",
            "elsewhere.example",
            "beta.test",
            "bank.test",
            "crash.example",
            "bench.test",
            "brand.test",
            "bad.test",
            "good.test");

    private final Path dataDir;
    private final MutableClock clock;
    private final List<SesV2Client> clients = new ArrayList<>();
    private PoolMtaServer server;

    private final UnaryOperator<ServerEnvironment> customize;
    private final UnaryOperator<ServerConfig> configure;
    private final int clusterSize = testClusterSize();
    private final Optional<String> database =
            clusterSize > 1 ? Optional.of(EmbeddedPostgresFixture.migratedDatabase()) : testDatabase();
    private Optional<NodeDirectory> nodes = Optional.empty();
    /** Cluster mode: the other nodes, {@code n2..nN}, and every node's node-link port, kept across restarts. */
    private final List<Peer> peers = new ArrayList<>();

    private static Path sharedKeys;

    private final Map<String, Integer> linkPorts = new ConcurrentHashMap<>();

    /** Another node of the cluster: its data directory and, while it runs, its server. */
    private static final class Peer {
        final String name;
        final Path dataDir;
        volatile PoolMtaServer server;

        Peer(String name, Path dataDir) {
            this.name = name;
            this.dataDir = dataDir;
        }
    }

    private TestServer(
            Path dataDir,
            MutableClock clock,
            UnaryOperator<ServerEnvironment> customize,
            UnaryOperator<ServerConfig> configure) {
        this.dataDir = dataDir;
        this.clock = clock;
        this.customize = customize;
        this.configure = configure;
    }

    /** A server whose configuration the test adjusts (e.g. sending-day counting). */
    public static TestServer startConfigured(Path dataDir, MutableClock clock, UnaryOperator<ServerConfig> configure) {
        TestServer t = new TestServer(dataDir, clock, env -> env, configure);
        t.boot();
        return t;
    }

    /** A node of a test cluster: {@code nodes} says which node holds which IP and where each node's link is. */
    public static TestServer startNode(
            Path dataDir, MutableClock clock, UnaryOperator<ServerConfig> configure, NodeDirectory nodes) {
        TestServer t = new TestServer(dataDir, clock, env -> env, configure);
        t.nodes = Optional.of(nodes);
        t.boot();
        return t;
    }

    public static TestServer start(Path dataDir) {
        return start(dataDir, MutableClock.startingNow());
    }

    public static TestServer start(Path dataDir, MutableClock clock) {
        return start(dataDir, clock, env -> env);
    }

    /**
     * A server whose environment the test adjusts. By default: the test's clock for the domain
     * (retries become due only when the test advances it), the wall clock for SigV4, webhook
     * retries after 100 ms (up to 1 s) of real time.
     */
    public static TestServer start(Path dataDir, MutableClock clock, UnaryOperator<ServerEnvironment> customize) {
        TestServer t = new TestServer(dataDir, clock, customize, config -> config);
        t.boot();
        return t;
    }

    private void boot() {
        try {
            if (clusterSize > 1) {
                bootCluster();
            } else {
                server = PoolMtaServer.start(config(dataDir, "n1"), customize.apply(environment()), nodes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The configuration of the node named {@code node} (in cluster mode) on {@code dir}. */
    private ServerConfig config(Path dir, String node) {
        // tests post webhooks to loopback receivers, which the server refuses unless allow-listed
        ServerConfig config = ServerConfig.defaults()
                .withDataDir(dir)
                .withApi(new HostPort("127.0.0.1", 0))
                .withSmtp(new HostPort("127.0.0.1", 0))
                .withWebhooks(WebhookSettings.defaults().withAllowList(LOOPBACK));
        if (clusterSize > 1) {
            config = config.withCluster(config.cluster()
                    .withDatabase(database.orElseThrow())
                    .withNode(node)
                    .withNodeLink(new HostPort("127.0.0.1", linkPorts.getOrDefault(node, 0))));
        } else if (database.isPresent()) {
            config = config.withCluster(
                    config.cluster().withDatabase(database.get()).withNode("test-node"));
        }
        ServerConfig configured = configure.apply(config);
        return dir.equals(dataDir) ? configured : configured.withDataDir(dir);
    }

    private ServerEnvironment environment() {
        return new ServerEnvironment(
                clock,
                Clock.systemUTC(),
                new SocketBindCheck(),
                DeliverySettings.DEFAULT,
                SmtpClientSettings.defaults(),
                FileChannelFactory.DEFAULT,
                Duration.ofMillis(100),
                Duration.ofSeconds(1),
                QueueLimit.forHeap(Runtime.getRuntime().maxMemory()));
    }

    /**
     * Starts every node at once, on the already migrated database, each with a copy of one cluster
     * key (as an operator sets a cluster up: the key is made once per JVM, not by a first node).
     */
    private void bootCluster() throws IOException {
        if (peers.isEmpty()) {
            for (int i = 2; i <= clusterSize; i++) {
                peers.add(new Peer("n" + i, Files.createTempDirectory("poolmta-n" + i + "-")));
            }
        }
        List<Thread> starting = new ArrayList<>();
        List<Throwable> failures = new CopyOnWriteArrayList<>();
        giveClusterKey(dataDir);
        starting.add(Thread.ofPlatform().name("start-n1").start(() -> {
            try {
                server = PoolMtaServer.start(config(dataDir, "n1"), customize.apply(environment()), nodes);
                linkPorts.put("n1", port(server.nodeLinkAddress().orElseThrow()));
            } catch (IOException | RuntimeException e) {
                failures.add(e);
            }
        }));
        for (Peer peer : peers) {
            giveClusterKey(peer.dataDir);
            starting.add(Thread.ofPlatform().name("start-" + peer.name).start(() -> {
                try {
                    peer.server =
                            PoolMtaServer.start(config(peer.dataDir, peer.name), customize.apply(environment()), nodes);
                    linkPorts.put(peer.name, port(peer.server.nodeLinkAddress().orElseThrow()));
                } catch (IOException | RuntimeException e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : starting) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while starting the cluster", e);
            }
        }
        if (!failures.isEmpty()) {
            stop();
            IllegalStateException e = new IllegalStateException("a node of the test cluster did not start");
            failures.forEach(e::addSuppressed);
            throw e;
        }
    }

    /**
     * The key files every test cluster of this JVM shares, made on first use: the cluster key, and
     * the submission server's self-signed certificate (an RSA key each node would otherwise make
     * at its first start, the largest part of a node's start).
     */
    private static synchronized Path sharedKeys() throws IOException {
        if (sharedKeys == null) {
            Path dir = Files.createTempDirectory("poolmta-cluster-keys-");
            ClusterKey.inDataDirectory(dir, Clock.systemUTC());
            TlsCertificates.serverContext(Optional.empty(), new char[0], dir, "localhost", Clock.systemUTC());
            sharedKeys = dir;
        }
        return sharedKeys;
    }

    private static void giveClusterKey(Path nodeDataDir) throws IOException {
        for (String file : List.of(ClusterKey.FILE, TlsCertificates.GENERATED_FILE)) {
            Path key = nodeDataDir.resolve(file);
            if (!Files.exists(key)) {
                Files.createDirectories(key.getParent());
                Files.copy(sharedKeys().resolve(file), key);
            }
        }
    }

    /** How many nodes the environment asks for: 1 unless {@code POOLMTA_TEST_CLUSTER} says more. */
    private static int testClusterSize() {
        String choice = System.getProperty("poolmta.test.cluster", System.getenv("POOLMTA_TEST_CLUSTER"));
        if (choice == null || choice.isBlank()) {
            return 1;
        }
        int size = Integer.parseInt(choice.strip());
        if (size < 1) {
            throw new IllegalArgumentException("POOLMTA_TEST_CLUSTER must be a number of nodes, got " + choice);
        }
        return size;
    }

    /** Whether this server is a cluster of several nodes (see the class comment). */
    public boolean clustered() {
        return clusterSize > 1;
    }

    /** Every node's API base URL, {@code n1}'s first. */
    public List<String> apiUrls() {
        List<String> urls = new ArrayList<>(List.of(url()));
        peers.forEach(p -> urls.add(p.server.apiUrl()));
        return urls;
    }

    /** The API base URL of a node picked at random (always {@code n1} outside cluster mode). */
    public String randomApiUrl() {
        List<String> urls = apiUrls();
        return urls.get(ThreadLocalRandom.current().nextInt(urls.size()));
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    /** A fresh PostgreSQL database when the environment asks for one; empty: embedded H2. */
    private static Optional<String> testDatabase() {
        String choice = System.getProperty("poolmta.test.database", System.getenv("POOLMTA_TEST_DATABASE"));
        if (choice == null || choice.isBlank() || choice.equals("h2")) {
            return Optional.empty();
        }
        if (!choice.equals("postgresql")) {
            throw new IllegalArgumentException("POOLMTA_TEST_DATABASE must be h2 or postgresql, got " + choice);
        }
        return Optional.of(EmbeddedPostgresFixture.freshDatabase());
    }

    /** The control-plane database URL when it is PostgreSQL; empty: the embedded H2. */
    public Optional<String> database() {
        return database;
    }

    /** The running server, for its delivery counters and addresses. */
    public PoolMtaServer server() {
        return server;
    }

    /** HOST:PORT of SMTP submission. */
    public String smtpAddress() {
        return server.smtpAddress();
    }

    public int smtpPort() {
        String address = server.smtpAddress();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    /** Routes a destination domain to a loopback sink. */
    public void route(String domain, String hostPort) {
        admin().ok("PUT", "/routes/" + domain, "{\"NextHop\":\"" + hostPort + "\"}");
    }

    /** Stops the server and starts a new one on the same data directory. */
    public void restart() {
        stop();
        boot();
    }

    /** The same, doing {@code whileStopped} to the data directory in between. */
    public void restart(Runnable whileStopped) {
        stop();
        whileStopped.run();
        boot();
    }

    public void stop() {
        clients.forEach(SesV2Client::close);
        clients.clear();
        for (Peer peer : peers) {
            if (peer.server != null) {
                peer.server.close();
                peer.server = null;
            }
        }
        if (server != null) {
            server.close();
            server = null;
        }
    }

    public String url() {
        return server.apiUrl();
    }

    public MutableClock clock() {
        return clock;
    }

    public Path dataDir() {
        return dataDir;
    }

    public String operatorToken() {
        return tokenOf(dataDir);
    }

    /**
     * The admin API as the operator. In cluster mode each call goes to a node picked at random, but
     * adding IPs ({@code POST /ips}) goes to {@code n1}: an IP lives on the node it is added at.
     */
    public AdminHttp admin() {
        if (!clustered()) {
            return new AdminHttp(url(), operatorToken());
        }
        return new AdminHttp((method, path) -> {
            int node = method.equals("POST") && path.equals("/ips")
                    ? 0
                    : ThreadLocalRandom.current().nextInt(peers.size() + 1);
            if (node == 0) {
                return new AdminHttp.Endpoint(url(), operatorToken());
            }
            Peer peer = peers.get(node - 1);
            return new AdminHttp.Endpoint(peer.server.apiUrl(), tokenOf(peer.dataDir));
        });
    }

    private static String tokenOf(Path dir) {
        try {
            return DataDirectory.readOperatorToken(dir).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An account with production access (the default quota) that may send from the {@link
     * #SENDER_DOMAINS}: tests of the sandbox use {@link #createSandboxAccount}.
     */
    public TestAccount createAccount(String name) {
        TestAccount account = createAccountWithoutSenders(name);
        vouchSenders(account, SENDER_DOMAINS);
        return account;
    }

    /** A new account with no identity at all (for the identity tests). */
    public TestAccount createAccountWithoutSenders(String name) {
        JsonNode r = admin().ok("POST", "/accounts", "{\"Name\":\"" + name + "\"}");
        admin().ok("POST", "/accounts/" + name + "/production-access", "{}"); // out of the sandbox
        return new TestAccount(
                name,
                r.get("AccountId").asText(),
                r.get("AccessKeyId").asText(),
                r.get("SecretAccessKey").asText());
    }

    /**
     * An account as the operator creates it: in the sandbox, with only {@code acme.test} verified
     * (the sandbox tests' sender domain; every other recipient domain is not).
     */
    public TestAccount createSandboxAccount(String name) {
        JsonNode r = admin().ok("POST", "/accounts", "{\"Name\":\"" + name + "\"}");
        TestAccount account = new TestAccount(
                name,
                r.get("AccountId").asText(),
                r.get("AccessKeyId").asText(),
                r.get("SecretAccessKey").asText());
        vouchSenders(account, List.of("acme.test"));
        return account;
    }

    /**
     * Makes {@code domains} verified sender identities of the account, as an operator does for its
     * own domains: each is created over the SES API with the suite's fixed key (no key to generate),
     * its DKIM signing turned off (so the suite's messages arrive byte for byte as sent; the DKIM
     * tests make their own signing identities), and vouched for over the admin API.
     */
    public void vouchSenders(TestAccount account, List<String> domains) {
        SesV2Client ses = ses(account);
        for (String domain : domains) {
            ses.createEmailIdentity(b -> b.emailIdentity(domain)
                    .dkimSigningAttributes(d ->
                            d.domainSigningSelector("suite").domainSigningPrivateKey(TestKeys.rsa1024Pkcs8Base64())));
            ses.putEmailIdentityDkimAttributes(b -> b.emailIdentity(domain).signingEnabled(false));
            admin().ok("POST", "/accounts/" + account.name() + "/identities/" + domain + "/verify", "");
        }
    }

    /** Leases addresses to the account; they start in ses-default-dedicated-pool. */
    public void leaseIps(TestAccount account, String... ips) {
        admin().ok(
                        "POST",
                        "/ips",
                        "{\"Role\":\"DEDICATED\",\"Account\":\"" + account.name() + "\",\"Ips\":" + jsonArray(ips)
                                + "}");
    }

    public void addSharedIps(String... ips) {
        admin().ok("POST", "/ips", "{\"Role\":\"SHARED\",\"Ips\":" + jsonArray(ips) + "}");
    }

    public void addReserveIps(String... ips) {
        admin().ok("POST", "/ips", "{\"Role\":\"RESERVE\",\"Ips\":" + jsonArray(ips) + "}");
    }

    /**
     * The AWS SDK v2 SESv2 client, pointed at this server, signing as the account. No retries. In
     * cluster mode each call goes to a node picked at random ({@link RandomNode}).
     */
    public SesV2Client ses(TestAccount account) {
        return ses(account.accessKeyId(), account.secretAccessKey());
    }

    public SesV2Client ses(String accessKeyId, String secret) {
        SesV2Client client = SesV2Client.builder()
                .endpointOverride(URI.create(url()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> {
                    o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1));
                    if (clustered()) {
                        o.addExecutionInterceptor(new RandomNode());
                    }
                })
                .build();
        clients.add(client);
        return client;
    }

    /**
     * Sends each SDK call to a node picked at random, sending calls to {@code n1}. It rewrites the
     * request's scheme, host and port in {@code modifyHttpRequest}, which the SDK runs before it
     * signs the request, so the signature covers the node's own Host header.
     */
    private final class RandomNode implements ExecutionInterceptor {
        private static final Set<String> ON_N1 = Set.of("SendEmail", "SendBulkEmail");

        @Override
        public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            URI node = URI.create(ON_N1.contains(operation) ? url() : randomApiUrl());
            return context.httpRequest().toBuilder()
                    .protocol(node.getScheme())
                    .host(node.getHost())
                    .port(node.getPort())
                    .build();
        }
    }

    private static String jsonArray(String... values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ",").append('"').append(values[i]).append('"');
        }
        return sb.append(']').toString();
    }

    @Override
    public void close() {
        stop();
        for (Peer peer : peers) {
            deleteTree(peer.dataDir);
        }
        peers.clear();
        if (clustered()) {
            EmbeddedPostgresFixture.drop(database.orElseThrow());
        }
    }

    private static void deleteTree(Path root) {
        try (Stream<Path> all = Files.walk(root)) {
            all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}
