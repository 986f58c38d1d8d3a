package io.poolmta.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.nodelink.ClusterKey;
import io.poolmta.store.StoreException;
import io.poolmta.testing.DkimVerifier;
import io.poolmta.testing.LoopbackDnsServer;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.SmtpCredentials;
import io.poolmta.testing.SmtpSubmit;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestCluster;
import io.poolmta.testing.TestMessage;
import io.poolmta.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.DkimSigningAttributesOrigin;
import software.amazon.awssdk.services.sesv2.model.DkimSigningKeyLength;

/**
 * A domain identity made at one node of a three-node cluster signs the mail every node accepts:
 * its Easy DKIM key, made at n1, signs mail submitted over the API at n2 (handed over to n3, whose
 * IP is the pool's) and over SMTP at n3, and a signature made at any node verifies with an
 * independent verifier (dkimpy) against the record published in a loopback DNS server. A key
 * rotation at n1 is signed with at n2 at once. A node without the cluster's key does not start.
 */
class ClusterDkimTest {
    private static final Duration VISIBLE = Duration.ofSeconds(1);
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String DOMAIN = "signed.test";

    @TempDir
    Path dir;

    TestCluster cluster;
    ScriptedSmtpServer sink;
    LoopbackDnsServer dns;
    TestAccount acme;

    @BeforeEach
    void setUp() throws Exception {
        DkimVerifier.assumeAvailable();
        dns = LoopbackDnsServer.start();
        sink = ScriptedSmtpServer.acceptingAll();
        cluster = TestCluster.start(dir, 3);
        TestServer n1 = cluster.node("n1");
        n1.route("example.com", sink.nextHop().toString());
        acme = n1.createAccount("acme");
        // the pool's only IP lives on n3: mail accepted at n2 is handed over to n3
        TestServer n3 = cluster.node("n3");
        n3.leaseIps(acme, "127.0.0.61");
        n3.ses(acme).createDedicatedIpPool(r -> r.poolName("signed"));
        await().atMost(VISIBLE)
                .ignoreExceptions()
                .until(() -> n3.ses(acme)
                                .putDedicatedIpInPool(r -> r.ip("127.0.0.61").destinationPoolName("signed"))
                        != null);
        n3.ses(acme)
                .createConfigurationSet(
                        r -> r.configurationSetName("signed").deliveryOptions(d -> d.sendingPoolName("signed")));
        for (TestServer node : cluster.nodes()) {
            await().atMost(VISIBLE)
                    .ignoreExceptions()
                    .until(() -> node.ses(acme).getConfigurationSet(r -> r.configurationSetName("signed")) != null);
        }
    }

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
        if (sink != null) {
            sink.close();
        }
        if (dns != null) {
            dns.close();
        }
    }

    @Test
    void anEasyDkimKeyMadeAtOneNodeSignsTheMailEveryNodeAccepts() throws Exception {
        TestServer n1 = cluster.node("n1");
        TestServer n2 = cluster.node("n2");
        TestServer n3 = cluster.node("n3");
        SmtpCredentials credentials = SmtpCredentials.create(n1, "acme");
        n1.ses(acme).createEmailIdentity(r -> r.emailIdentity(DOMAIN));
        String selector = vouchAndPublish(n1);
        awaitSigning(n2, selector);
        awaitSigning(n3, selector);

        // the API at n2 (handed over to n3), SMTP submission at n3 (sent from there)
        sendWith(n2.ses(acme), "api@" + DOMAIN);
        ReceivedMessage viaApi = sink.awaitMessages(1, WAIT).getFirst();
        assertVerified(viaApi, selector);
        assertThat(viaApi.sourceAddress()).isEqualTo("127.0.0.61");
        assertThat(n2.server().delivery().handedOver()).isEqualTo(1);

        SmtpSubmit.send(n3, credentials, "smtp@" + DOMAIN, "signed", "submitted at another node");
        assertVerified(sink.awaitMessages(2, WAIT).get(1), selector);

        // a rotation at n1: n2 signs with the next key from then on
        n1.ses(acme)
                .putEmailIdentityDkimSigningAttributes(r -> r.emailIdentity(DOMAIN)
                        .signingAttributesOrigin(DkimSigningAttributesOrigin.AWS_SES)
                        .signingAttributes(a -> a.nextSigningKeyLength(DkimSigningKeyLength.RSA_2048_BIT)));
        String rotated = publish(n1);
        assertThat(rotated).isNotEqualTo(selector);
        awaitSigning(n2, rotated);
        sendWith(n2.ses(acme), "rotated@" + DOMAIN);
        assertVerified(sink.awaitMessages(3, WAIT).get(2), rotated);
    }

    @Test
    void aNodeWithoutTheClustersKeyDoesNotStart() throws Exception {
        Path n4 = dir.resolve("n4");
        // no cluster key file while the database holds sealed keys: refused, and no key of its own made
        assertThatThrownBy(() -> startNode(n4))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("this node has no cluster key (tls/cluster.p12 in its data directory)")
                .hasMessageContaining("first used by node n1");
        assertThat(n4.resolve(ClusterKey.FILE)).doesNotExist();

        // a cluster key of its own: refused, naming both keys
        ClusterKey own = ClusterKey.inDataDirectory(n4, cluster.clock());
        String clusters =
                ClusterKey.load(dir.resolve("n1").resolve(ClusterKey.FILE)).fingerprint();
        assertThatThrownBy(() -> startNode(n4))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("fingerprint " + own.fingerprint() + ") is not the cluster's")
                .hasMessageContaining("sealed under cluster key " + clusters);

        // the cluster's key copied over it, as the operator does: it starts and signs
        Files.copy(
                dir.resolve("n1").resolve(ClusterKey.FILE),
                n4.resolve(ClusterKey.FILE),
                StandardCopyOption.REPLACE_EXISTING);
        TestServer started = startNode(n4);
        try {
            cluster.node("n1").ses(acme).createEmailIdentity(r -> r.emailIdentity(DOMAIN));
            String selector = vouchAndPublish(cluster.node("n1"));
            awaitSigning(started, selector);
            sendWith(started.ses(acme), "n4@" + DOMAIN);
            assertVerified(sink.awaitMessages(1, WAIT).getFirst(), selector);
        } finally {
            started.close();
        }
    }

    private TestServer startNode(Path dataDir) {
        return TestServer.startConfigured(
                dataDir,
                cluster.clock(),
                config -> config.withCluster(config.cluster()
                        .withDatabase(cluster.database())
                        .withNode("n4")
                        .withNodeLink(new HostPort("127.0.0.1", 0))));
    }

    /** The operator vouches for the domain at {@code node}; its DKIM record goes to the DNS server. */
    private String vouchAndPublish(TestServer node) {
        node.admin().ok("POST", "/accounts/acme/identities/" + DOMAIN + "/verify", "");
        return publish(node);
    }

    /** Publishes every DKIM record of the domain as {@code node} shows it; the current selector. */
    private String publish(TestServer node) {
        JsonNode shown = node.admin().ok("GET", "/accounts/acme/identities/" + DOMAIN, null);
        for (JsonNode record : shown.get("DnsRecords")) {
            if (record.get("Type").asText().equals("TXT")) {
                dns.txt(record.get("Name").asText(), record.get("Value").asText());
            }
        }
        return shown.get("Selector").asText();
    }

    /** Waits until {@code node} sees the domain verified and signing with {@code selector}. */
    private void awaitSigning(TestServer node, String selector) {
        await().atMost(VISIBLE)
                .pollInterval(Duration.ofMillis(20))
                .untilAsserted(() -> assertThat(node.admin()
                                .ok("GET", "/accounts/acme/identities/" + DOMAIN, null)
                                .get("Selector")
                                .asText())
                        .isEqualTo(selector));
    }

    private void assertVerified(ReceivedMessage received, String selector) {
        assertThat(received.text()).startsWith("DKIM-Signature: ").contains("d=" + DOMAIN + "; s=" + selector + ";");
        DkimVerifier.Verdict verdict = DkimVerifier.verify(received.data(), dns);
        assertThat(verdict.pass()).as(verdict.out() + verdict.err()).isTrue();
    }

    private static void sendWith(SesV2Client ses, String from) {
        TestMessage.to("to@example.com")
                .from(from)
                .subject("signed at another node")
                .body("body")
                .configurationSet("signed")
                .sendWith(ses);
    }
}
