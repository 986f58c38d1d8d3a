package io.poolmta.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.ip.ClusterNodes;
import io.poolmta.testing.EventLog;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestCluster;
import io.poolmta.testing.TestMessage;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.SuppressionListReason;
import software.amazon.awssdk.services.sesv2.model.Tag;

/**
 * Three real nodes n1, n2, n3 on one embedded PostgreSQL database with the real node directory,
 * each on its own loopback ports and data directory, sharing the cluster key: the control plane
 * written at one node is read at another within a second; mail accepted at one node leaves only
 * from its pool's IPs, on whichever node holds them; a node lost holds only the mail of pools whose
 * IPs were all on it, until it is back; the suppression list and the 24-hour count are the
 * cluster's. IPs 127.0.0.41-43 live on n1, 127.0.0.61-63 on n3; a sink on 127.0.0.1 takes the mail
 * for example.com and records each connection's source address.
 */
class ThreeNodeClusterTest {
    /** How soon another node sees a control-plane write (the change feed makes it immediate). */
    private static final Duration VISIBLE = Duration.ofSeconds(1);

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    TestCluster cluster;
    ScriptedSmtpServer sink;
    TestAccount acme;
    final Map<TestServer, SesV2Client> clients = new HashMap<>();

    @BeforeEach
    void setUp() {
        sink = ScriptedSmtpServer.acceptingAll();
        cluster = TestCluster.start(dir, 3);
        TestServer n1 = cluster.node("n1");
        n1.route("example.com", sink.nextHop().toString());
        acme = n1.createAccount("acme");
        // every node knows the account and its key before any test talks to it
        for (TestServer node : cluster.nodes()) {
            await().atMost(VISIBLE).ignoreExceptions().until(() -> ses(node).getAccount(r -> {}) != null);
        }
    }

    @AfterEach
    void tearDown() {
        if (cluster != null) {
            cluster.close();
        }
        sink.close();
    }

    @Test
    void whatOneNodeWritesEveryOtherNodeReadsWithinASecond() {
        long seed = System.nanoTime();
        System.out.println("ThreeNodeClusterTest seed " + seed);
        Random random = new Random(seed);
        TestServer writer;
        for (int i = 0; i < 3; i++) {
            String team = "t" + i;
            String pool = "pool-" + i;
            String set = "set-" + i;
            String arn = acme.configurationSetArn(set);

            writer = write(random, ses -> ses.createDedicatedIpPool(r -> r.poolName(pool)));
            eventually(
                    random,
                    writer,
                    ses -> assertThat(ses.listDedicatedIpPools(r -> {}).dedicatedIpPools())
                            .contains(pool));

            writer = write(
                    random,
                    ses -> ses.createConfigurationSet(
                            r -> r.configurationSetName(set).deliveryOptions(d -> d.sendingPoolName(pool))));
            eventually(
                    random,
                    writer,
                    ses -> assertThat(ses.getConfigurationSet(r -> r.configurationSetName(set))
                                    .deliveryOptions()
                                    .sendingPoolName())
                            .isEqualTo(pool));

            writer =
                    write(random, ses -> ses.tagResource(r -> r.resourceArn(arn).tags(tag("team", team))));
            eventually(
                    random,
                    writer,
                    ses -> assertThat(ses.listTagsForResource(r -> r.resourceArn(arn))
                                    .tags())
                            .containsExactly(tag("team", team)));

            eventually(
                    random,
                    writer,
                    ses -> assertThat(ses.listConfigurationSets(r -> {}).configurationSets())
                            .contains(set));
        }
        // changes and deletions travel as fast
        writer = write(
                random,
                ses -> ses.putConfigurationSetDeliveryOptions(
                        r -> r.configurationSetName("set-0").sendingPoolName("pool-1")));
        eventually(
                random,
                writer,
                ses -> assertThat(ses.getConfigurationSet(r -> r.configurationSetName("set-0"))
                                .deliveryOptions()
                                .sendingPoolName())
                        .isEqualTo("pool-1"));
        writer = write(
                random,
                ses -> ses.untagResource(
                        r -> r.resourceArn(acme.configurationSetArn("set-1")).tagKeys("team")));
        eventually(
                random,
                writer,
                ses -> assertThat(ses.listTagsForResource(r -> r.resourceArn(acme.configurationSetArn("set-1")))
                                .tags())
                        .isEmpty());
        writer = write(random, ses -> ses.deleteConfigurationSet(r -> r.configurationSetName("set-2")));
        eventually(
                random,
                writer,
                ses -> assertThat(ses.listConfigurationSets(r -> {}).configurationSets())
                        .containsExactlyInAnyOrder("set-0", "set-1"));
        writer = write(random, ses -> ses.deleteDedicatedIpPool(r -> r.poolName("pool-2")));
        eventually(
                random,
                writer,
                ses -> assertThat(ses.listDedicatedIpPools(r -> {}).dedicatedIpPools())
                        .doesNotContain("pool-2")
                        .contains("pool-0", "pool-1"));
    }

    /**
     * No waiting at all: a request that follows a write made through another node finds it, as
     * on one node (each node catches up with the change feed before it answers).
     */
    @Test
    void aRequestRightAfterAWriteAtAnotherNodeSeesIt() {
        List<TestServer> nodes = cluster.nodes();
        for (int i = 0; i < 20; i++) {
            TestServer writer = nodes.get(i % 3);
            TestServer reader = nodes.get((i + 1) % 3);
            String pool = "now-" + i;
            ses(writer).createDedicatedIpPool(r -> r.poolName(pool));
            assertThat(ses(reader).listDedicatedIpPools(r -> {}).dedicatedIpPools())
                    .contains(pool);
            ses(reader)
                    .createConfigurationSet(
                            r -> r.configurationSetName(pool).deliveryOptions(d -> d.sendingPoolName(pool)));
            assertThat(ses(writer)
                            .getConfigurationSet(r -> r.configurationSetName(pool))
                            .deliveryOptions()
                            .sendingPoolName())
                    .isEqualTo(pool);
            ses(writer)
                    .putConfigurationSetSendingOptions(
                            r -> r.configurationSetName(pool).sendingEnabled(false));
            assertThat(ses(reader)
                            .getConfigurationSet(r -> r.configurationSetName(pool))
                            .sendingOptions()
                            .sendingEnabled())
                    .isFalse();
        }
        // a new account's key works at once at every node
        TestAccount fresh = nodes.get(1).createAccountWithoutSenders("fresh");
        for (TestServer node : nodes) {
            assertThat(node.ses(fresh).getAccount(r -> {}).productionAccessEnabled())
                    .isTrue();
        }
    }

    @Test
    void mailAcceptedAtOneNodeLeavesOnlyFromItsPoolsIpsOnTheNodeThatHoldsThem() {
        poolOn("n3", "remote", "127.0.0.61", "127.0.0.62");
        poolOn("n1", "mixed", "127.0.0.41");
        putIpInPool("n3", "127.0.0.63", "mixed");
        TestServer n1 = cluster.node("n1");
        TestServer n3 = cluster.node("n3");

        List<String> ids = sendMany(n1, "remote", 5);

        assertThat(sources(sink.awaitMessages(5, WAIT))).isSubsetOf("127.0.0.61", "127.0.0.62");
        EventLog atN3 = EventLog.of(n3);
        for (String id : ids) {
            JsonNode delivery = atN3.await(id, "Delivery", WAIT);
            assertThat(delivery.at("/mail/messageId").asText()).isEqualTo(id);
            assertThat(delivery.at("/mail/tags/ses:outgoing-ip/0").asText()).isIn("127.0.0.61", "127.0.0.62");
            assertThat(EventLog.of(n1).of(id, "Send")).hasSize(1);
        }
        await().atMost(WAIT).until(() -> n1.server().delivery().handedOver() == 5);
        assertThat(n1.server().delivery().delivered()).isZero();

        // a pool with an IP on the accepting node: no hop
        sendMany(n1, "mixed", 5);

        List<ReceivedMessage> all = sink.awaitMessages(10, WAIT);
        assertThat(sources(all.subList(5, 10))).containsExactly("127.0.0.41");
        // the sink has a message before its sender has read the 250 and counted it
        await().atMost(WAIT).until(() -> n1.server().delivery().delivered() >= 5);
        assertThat(n1.server().delivery().handedOver()).isEqualTo(5);
        assertThat(n1.server().delivery().delivered()).isEqualTo(5);
    }

    @Test
    void aLostNodeHoldsOnlyItsOwnPoolsMailWhichLeavesFromItOnceItIsBack() {
        poolOn("n3", "remote", "127.0.0.61", "127.0.0.62");
        poolOn("n1", "local", "127.0.0.41");
        TestServer n1 = cluster.node("n1");

        cluster.stop("n3");
        String held = send(n1, "remote", "held@example.com");
        String flowing = send(n1, "local", "flowing@example.com");

        EventLog atN1 = EventLog.of(n1);
        assertThat(atN1.await(held, "DeliveryDelay", WAIT)
                        .at("/deliveryDelay/delayType")
                        .asText())
                .isEqualTo("TransientCommunicationFailure");
        ReceivedMessage leftN1 = sink.awaitMessages(1, WAIT).getFirst();
        assertThat(leftN1.sourceAddress()).isEqualTo("127.0.0.41");
        assertThat(leftN1.recipients()).containsExactly("flowing@example.com");
        atN1.await(flowing, "Delivery", WAIT);
        assertThat(n1.server().delivery().queued()).isEqualTo(1);
        assertThat(n1.server().delivery().handedOver()).isZero();

        TestServer n3 = cluster.restart("n3");
        cluster.advance(Duration.ofMinutes(2)); // past the first retry's backoff

        List<ReceivedMessage> received = sink.awaitMessages(2, WAIT);
        assertThat(received.get(1).recipients()).containsExactly("held@example.com");
        assertThat(received.get(1).sourceAddress()).isIn("127.0.0.61", "127.0.0.62");
        assertThat(EventLog.of(n3).await(held, "Delivery", WAIT)).isNotNull();
        await().atMost(WAIT).until(() -> n1.server().delivery().handedOver() == 1);
        await().atMost(WAIT).until(() -> n1.server().delivery().queued() == 0);
        assertThat(sink.messages()).hasSize(2);
    }

    /**
     * A node lost for good strands only what its own spool holds: once the others see it down (no
     * heartbeat for {@link ClusterNodes#DOWN_AFTER}), a pool with IPs on it and on another node is
     * sent from the other node's IPs, whichever node accepted the mail, and only a pool whose IPs
     * were all on it is held (deferred, not re-routed to another pool's IPs).
     */
    @Test
    void aNodeLostForGoodLeavesEveryPoolWithIpsOnTheOthersSending() {
        poolOn("n1", "spanning", "127.0.0.41");
        putIpInPool("n3", "127.0.0.61", "spanning");
        poolOn("n3", "remote", "127.0.0.62");
        TestServer n2 = cluster.node("n2");
        await().atMost(VISIBLE)
                .untilAsserted(() -> assertThat(ses(n2).getDedicatedIps(r -> r.poolName("spanning"))
                                .dedicatedIps())
                        .hasSize(2));

        cluster.stop("n3");
        cluster.advance(ClusterNodes.DOWN_AFTER.plusSeconds(5)); // n3's last heartbeat is too old now
        assertThat(n2.server().nodes().node("n3").orElseThrow().up()).isFalse();
        List<String> spanning = sendMany(n2, "spanning", 6);
        String held = send(n2, "remote", "held@example.com");

        assertThat(sources(sink.awaitMessages(6, WAIT))).containsExactly("127.0.0.41");
        EventLog atN1 = EventLog.of(cluster.node("n1"));
        for (String id : spanning) {
            assertThat(atN1.await(id, "Delivery", WAIT)
                            .at("/mail/tags/ses:outgoing-ip/0")
                            .asText())
                    .isEqualTo("127.0.0.41");
        }
        assertThat(EventLog.of(n2)
                        .await(held, "DeliveryDelay", WAIT)
                        .at("/deliveryDelay/delayType")
                        .asText())
                .isEqualTo("IPFailure");
        await().atMost(WAIT).until(() -> n2.server().delivery().handedOver() == 6);
        assertThat(n2.server().delivery().queued()).isEqualTo(1);
        assertThat(sink.messages()).hasSize(6);
    }

    @Test
    void theSuppressionListAndTheDailyCountAreTheClustersAtEveryNode() {
        poolOn("n1", "local", "127.0.0.41");
        TestServer n2 = cluster.node("n2");
        TestServer n3 = cluster.node("n3");

        // one message accepted at each node, each counted at every node within about two seconds
        for (TestServer node : cluster.nodes()) {
            send(node, "local", "count-" + node.server().nodes().self() + "@example.com");
        }
        for (TestServer node : cluster.nodes()) {
            await().atMost(Duration.ofMillis(2_500))
                    .pollInterval(Duration.ofMillis(50))
                    .untilAsserted(() -> assertThat(
                                    ses(node).getAccount(r -> {}).sendQuota().sentLast24Hours())
                            .isEqualTo(3.0));
        }
        assertThat(sources(sink.awaitMessages(3, WAIT))).containsExactly("127.0.0.41");

        // an address suppressed through n2 is not sent to by n3 once n3 has heard n2's commit (the
        // change feed is asynchronous: milliseconds)
        ses(n2).putSuppressedDestination(
                        r -> r.emailAddress("listed@example.com").reason(SuppressionListReason.BOUNCE));
        awaitHeard(n2, n3);
        String suppressed = send(n3, "local", "listed@example.com");

        JsonNode bounce = EventLog.of(n3).await(suppressed, "Bounce", WAIT);
        assertThat(bounce.at("/bounce/bounceType").asText()).isEqualTo("Permanent");
        assertThat(bounce.at("/bounce/bounceSubType").asText()).isEqualTo("OnAccountSuppressionList");
        assertThat(bounce.at("/bounce/bouncedRecipients/0/emailAddress").asText())
                .isEqualTo("listed@example.com");
        assertThat(EventLog.of(n3).of(suppressed, "Delivery")).isEmpty();
        assertThat(sink.messages()).hasSize(3);
    }

    /**
     * Waits until {@code reader} has heard, and run the reloads for, every commit {@code writer}
     * made so far. A node hears the others' commits in order on one thread, moving its snapshots
     * before it runs the reloads of what it heard at once; so a first marker seen at the reader
     * may still be followed by the reloads of its batch, while a second one, written after the
     * first was seen, is heard only after them.
     */
    private void awaitHeard(TestServer writer, TestServer reader) {
        for (int i = 0; i < 2; i++) {
            String marker = "heard-" + System.nanoTime();
            ses(writer).createDedicatedIpPool(r -> r.poolName(marker));
            await().atMost(VISIBLE)
                    .pollInterval(Duration.ofMillis(20))
                    .untilAsserted(() -> assertThat(
                                    ses(reader).listDedicatedIpPools(r -> {}).dedicatedIpPools())
                            .contains(marker));
        }
    }

    /** A pool created through {@code node}, holding addresses added (and so living) there. */
    private void poolOn(String node, String pool, String... ips) {
        TestServer at = cluster.node(node);
        at.leaseIps(acme, ips);
        ses(at).createDedicatedIpPool(r -> r.poolName(pool));
        for (String ip : ips) {
            putIpInPool(node, ip, pool);
        }
        ses(at).createConfigurationSet(r -> r.configurationSetName(pool).deliveryOptions(d -> d.sendingPoolName(pool)));
        // every node sees the pool and the set before mail is sent for it
        for (TestServer other : cluster.nodes()) {
            await().atMost(VISIBLE)
                    .ignoreExceptions()
                    .untilAsserted(() -> assertThat(ses(other)
                                    .getDedicatedIps(r -> r.poolName(pool))
                                    .dedicatedIps())
                            .hasSizeGreaterThanOrEqualTo(ips.length));
            await().atMost(VISIBLE)
                    .ignoreExceptions()
                    .until(() -> ses(other).getConfigurationSet(r -> r.configurationSetName(pool)) != null);
        }
    }

    /** Adds an address at {@code node} (it lives there) and moves it into {@code pool}. */
    private void putIpInPool(String node, String ip, String pool) {
        TestServer at = cluster.node(node);
        if (at.server().nodes().nodeOf(ip).isEmpty()) {
            at.leaseIps(acme, ip);
        }
        assertThat(at.server().nodes().nodeOf(ip)).contains(node);
        await().atMost(VISIBLE)
                .ignoreExceptions()
                .until(() -> ses(at).putDedicatedIpInPool(r -> r.ip(ip).destinationPoolName(pool)) != null);
    }

    /** Does {@code write} through a node picked at random, which it returns. */
    private TestServer write(Random random, Consumer<SesV2Client> write) {
        List<TestServer> nodes = cluster.nodes();
        TestServer node = nodes.get(random.nextInt(nodes.size()));
        write.accept(ses(node));
        return node;
    }

    /**
     * Checks {@code read} through a node other than the writer, picked at random, until it holds,
     * for at most a second.
     */
    private void eventually(Random random, TestServer writer, Consumer<SesV2Client> read) {
        List<TestServer> others = new ArrayList<>(cluster.nodes());
        others.remove(writer);
        TestServer node = others.get(random.nextInt(others.size()));
        await().atMost(VISIBLE).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> read.accept(ses(node)));
        // and every node has it before the next write, which may go through any of them
        for (TestServer other : cluster.nodes()) {
            await().atMost(VISIBLE).pollInterval(Duration.ofMillis(20)).untilAsserted(() -> read.accept(ses(other)));
        }
    }

    private SesV2Client ses(TestServer node) {
        return clients.computeIfAbsent(node, n -> n.ses(acme));
    }

    private List<String> sendMany(TestServer node, String set, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(send(node, set, set + "-" + i + "@example.com"));
        }
        return ids;
    }

    private String send(TestServer node, String set, String to) {
        TestMessage message =
                TestMessage.to(to).from("sender@acme.test").subject("to " + to).body("body");
        return (set == null ? message : message.configurationSet(set)).sendWith(ses(node));
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static Set<String> sources(List<ReceivedMessage> messages) {
        Set<String> out = new TreeSet<>();
        messages.forEach(m -> out.add(m.sourceAddress()));
        return out;
    }
}
