package io.poolmta.nodelink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.poolmta.ip.NodeDirectory;
import io.poolmta.server.HostPort;
import io.poolmta.testing.EventLog;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestMessage;
import io.poolmta.testing.TestNodes;
import io.poolmta.testing.TestServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * Two real nodes on loopback, each with its own spool, data directory and node link, sharing one
 * control-plane state (node B starts from a copy of node A's database, the stand-in for the shared
 * PostgreSQL) and one directory of which node holds which IP: node A holds 127.0.0.11, node B
 * 127.0.0.21 and 127.0.0.22. Mail is submitted to node A only; a sink on loopback records the
 * source address of every connection it receives.
 */
class ClusterHandOverTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    final TestNodes directory = new TestNodes();
    final MutableClock clockA = MutableClock.startingNow();
    final MutableClock clockB = MutableClock.startingNow();
    ScriptedSmtpServer sink;
    TestServer nodeA;
    TestServer nodeB;
    int linkPortB;
    TestAccount acme;

    @BeforeEach
    void setUp() throws IOException {
        sink = ScriptedSmtpServer.acceptingAll();
        directory.place("a", "127.0.0.11");
        directory.place("b", "127.0.0.21", "127.0.0.22", "127.0.0.23");
        Path dirA = dir.resolve("a");
        nodeA = startNode("a", dirA, clockA, 0);
        nodeA.route("example.com", sink.nextHop().toString());
        acme = nodeA.createAccount("acme");
        nodeA.leaseIps(acme, "127.0.0.11", "127.0.0.21", "127.0.0.22", "127.0.0.23");
        SesV2Client ses = nodeA.ses(acme);
        ses.createDedicatedIpPool(r -> r.poolName("remote")); // every IP on node B
        ses.createDedicatedIpPool(r -> r.poolName("mixed")); // one IP on each node
        for (String ip : List.of("127.0.0.21", "127.0.0.22")) {
            ses.putDedicatedIpInPool(r -> r.ip(ip).destinationPoolName("remote"));
        }
        for (String ip : List.of("127.0.0.11", "127.0.0.23")) {
            ses.putDedicatedIpInPool(r -> r.ip(ip).destinationPoolName("mixed"));
        }
        ses.createConfigurationSet(
                r -> r.configurationSetName("remote").deliveryOptions(d -> d.sendingPoolName("remote")));
        ses.createConfigurationSet(
                r -> r.configurationSetName("mixed").deliveryOptions(d -> d.sendingPoolName("mixed")));
        nodeA.stop();
        Path dirB = dir.resolve("b");
        copyControlPlane(dirA, dirB); // the cluster key comes along: both nodes hold the same one
        nodeA = startNode("a", dirA, clockA, 0);
        nodeB = startNode("b", dirB, clockB, 0);
        linkPortB = port(nodeB);
        directory.up("a", nodeA.server().nodeLinkAddress().orElseThrow());
        directory.up("b", nodeB.server().nodeLinkAddress().orElseThrow());
    }

    @AfterEach
    void tearDown() {
        if (nodeA != null) {
            nodeA.close();
        }
        if (nodeB != null) {
            nodeB.close();
        }
        sink.close();
    }

    @Test
    void mailForAPoolWhoseIpsAreAllOnAnotherNodeLeavesFromThatNodesIpsOnly() {
        List<String> ids = sendMany("remote", 10);

        List<ReceivedMessage> received = sink.awaitMessages(10, WAIT);

        assertThat(sources(received)).isSubsetOf("127.0.0.21", "127.0.0.22").isNotEmpty();
        await().atMost(WAIT).until(() -> nodeB.server().delivery().delivered() == 10);
        await().atMost(WAIT).until(() -> nodeA.server().delivery().handedOver() == 10);
        assertThat(nodeA.server().delivery().delivered()).isZero();
        await().atMost(WAIT).until(() -> nodeA.server().delivery().queued() == 0);
        // the Delivery event comes from the node that delivered, under the id node A gave
        EventLog eventsB = EventLog.of(nodeB);
        for (String id : ids) {
            assertThat(eventsB.await(id, "Delivery", WAIT)
                            .path("mail")
                            .path("tags")
                            .path("ses:outgoing-ip")
                            .get(0)
                            .asText())
                    .isIn("127.0.0.21", "127.0.0.22");
            assertThat(EventLog.of(nodeA).of(id, "Delivery")).isEmpty();
            assertThat(EventLog.of(nodeA).of(id, "Send")).hasSize(1);
        }
    }

    @Test
    void aPoolWithIpsOnTheAcceptingNodeUsesThemWithoutAHop() {
        sendMany("mixed", 10);

        List<ReceivedMessage> received = sink.awaitMessages(10, WAIT);

        assertThat(sources(received)).containsExactly("127.0.0.11");
        assertThat(nodeA.server().delivery().handedOver()).isZero();
        assertThat(nodeB.server().delivery().delivered()).isZero();
    }

    @Test
    void whileTheNodeHoldingThePoolIsDownItsMailWaitsAtTheAcceptingNodeThenLeavesFromThere() throws IOException {
        nodeB.stop();

        String id = send("remote", "late@example.com");

        EventLog eventsA = EventLog.of(nodeA);
        assertThat(eventsA.await(id, "DeliveryDelay", WAIT)
                        .path("deliveryDelay")
                        .path("delayType")
                        .asText())
                .isEqualTo("TransientCommunicationFailure");
        assertThat(nodeA.server().delivery().handedOver()).isZero();
        assertThat(nodeA.server().delivery().queued()).isEqualTo(1);

        nodeB = startNode("b", dir.resolve("b"), clockB, linkPortB);
        clockA.advance(Duration.ofMinutes(2)); // past the first retry's backoff

        List<ReceivedMessage> received = sink.awaitMessages(1, WAIT);
        assertThat(sources(received)).isSubsetOf("127.0.0.21", "127.0.0.22");
        await().atMost(WAIT).until(() -> nodeA.server().delivery().handedOver() == 1);
        assertThat(EventLog.of(nodeB).await(id, "Delivery", WAIT)).isNotNull();
    }

    @Test
    void whileTheDirectorySaysTheNodeIsDownNothingIsTriedAndTheMailIsHeldForItsOwnPool() {
        directory.down("b");

        String id = send("remote", "held@example.com");

        EventLog eventsA = EventLog.of(nodeA);
        assertThat(eventsA.await(id, "DeliveryDelay", WAIT)
                        .path("deliveryDelay")
                        .path("delayType")
                        .asText())
                .isEqualTo("IPFailure");
        assertThat(sink.messages()).isEmpty();

        directory.up("b", nodeB.server().nodeLinkAddress().orElseThrow());
        clockA.advance(Duration.ofMinutes(2));

        assertThat(sources(sink.awaitMessages(1, WAIT))).isSubsetOf("127.0.0.21", "127.0.0.22");
    }

    @Test
    void aHandedOverMessageIsNeverHandedOverAgain() {
        // node B's directory disagrees (the IPs moved on to a node C meanwhile): B must not pass the
        // message on, it defers it
        nodeB.stop();
        TestNodes moved = new TestNodes();
        moved.place("a", "127.0.0.11");
        moved.place("c", "127.0.0.21", "127.0.0.22", "127.0.0.23");
        moved.up("c", nodeA.server().nodeLinkAddress().orElseThrow());
        nodeB = startNode(dir.resolve("b"), clockB, linkPortB, moved.view("b"));

        String id = send("remote", "loop@example.com");

        assertThat(EventLog.of(nodeB)
                        .await(id, "DeliveryDelay", WAIT)
                        .path("deliveryDelay")
                        .path("delayType")
                        .asText())
                .isEqualTo("IPFailure");
        await().atMost(WAIT).until(() -> nodeA.server().delivery().handedOver() == 1);
        assertThat(nodeB.server().delivery().handedOver()).isZero();
        assertThat(nodeB.server().delivery().queued()).isEqualTo(1);
        assertThat(sink.messages()).isEmpty();
    }

    private TestServer startNode(String name, Path dataDir, MutableClock clock, int linkPort) {
        return startNode(dataDir, clock, linkPort, directory.view(name));
    }

    private static TestServer startNode(Path dataDir, MutableClock clock, int linkPort, NodeDirectory nodes) {
        return TestServer.startNode(
                dataDir,
                clock,
                config -> config.withCluster(config.cluster().withNodeLink(new HostPort("127.0.0.1", linkPort))),
                nodes);
    }

    private static int port(TestServer node) {
        String address = node.server().nodeLinkAddress().orElseThrow();
        return Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    }

    private List<String> sendMany(String set, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(send(set, "user" + i + "@example.com"));
        }
        return ids;
    }

    private String send(String set, String to) {
        return TestMessage.to(to)
                .from("sender@acme.test")
                .subject("to " + to)
                .body("body")
                .configurationSet(set)
                .sendWith(nodeA.ses(acme));
    }

    private static Set<String> sources(List<ReceivedMessage> messages) {
        Set<String> out = new TreeSet<>();
        messages.forEach(m -> out.add(m.sourceAddress()));
        return out;
    }

    /** Node B's data directory: node A's, without its spool and its event log. */
    private static void copyControlPlane(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path relative = from.relativize(file);
                if (relative.startsWith("spool") || relative.startsWith("events")) {
                    continue;
                }
                Path target = to.resolve(relative.toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
