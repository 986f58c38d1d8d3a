package io.poolmta.testing;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.delivery.DeliverySettings;
import io.poolmta.delivery.smtp.SmtpClientSettings;
import io.poolmta.events.WebhookSettings;
import io.poolmta.ip.NodeDirectory;
import io.poolmta.sending.QueueLimit;
import io.poolmta.server.DataDirectory;
import io.poolmta.server.HostPort;
import io.poolmta.server.PoolMtaServer;
import io.poolmta.server.ServerConfig;
import io.poolmta.server.ServerEnvironment;
import io.poolmta.server.SocketBindCheck;
import io.poolmta.spool.FileChannelFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
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
    private final Optional<String> database = testDatabase();
    private Optional<NodeDirectory> nodes = Optional.empty();

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
            // tests post webhooks to loopback receivers, which the server refuses unless allow-listed
            ServerConfig config = ServerConfig.defaults()
                    .withDataDir(dataDir)
                    .withApi(new HostPort("127.0.0.1", 0))
                    .withSmtp(new HostPort("127.0.0.1", 0))
                    .withWebhooks(WebhookSettings.defaults().withAllowList(LOOPBACK));
            if (database.isPresent()) {
                config = config.withCluster(
                        config.cluster().withDatabase(database.get()).withNode("test-node"));
            }
            ServerEnvironment env = new ServerEnvironment(
                    clock,
                    Clock.systemUTC(),
                    new SocketBindCheck(),
                    DeliverySettings.DEFAULT,
                    SmtpClientSettings.defaults(),
                    FileChannelFactory.DEFAULT,
                    Duration.ofMillis(100),
                    Duration.ofSeconds(1),
                    QueueLimit.forHeap(Runtime.getRuntime().maxMemory()));
            server = PoolMtaServer.start(configure.apply(config), customize.apply(env), nodes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        try {
            return DataDirectory.readOperatorToken(dataDir).orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public AdminHttp admin() {
        return new AdminHttp(url(), operatorToken());
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

    /** The AWS SDK v2 SESv2 client, pointed at this server, signing as the account. No retries. */
    public SesV2Client ses(TestAccount account) {
        return ses(account.accessKeyId(), account.secretAccessKey());
    }

    public SesV2Client ses(String accessKeyId, String secret) {
        SesV2Client client = SesV2Client.builder()
                .endpointOverride(URI.create(url()))
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secret)))
                .httpClient(UrlConnectionHttpClient.create())
                .overrideConfiguration(o -> o.retryStrategy(RetryMode.STANDARD).retryStrategy(b -> b.maxAttempts(1)))
                .build();
        clients.add(client);
        return client;
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
    }
}
