package io.poolmta.testing;

import io.poolmta.ip.ClusterNodes;
import io.poolmta.nodelink.ClusterKey;
import io.poolmta.server.HostPort;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Real PoolMTA nodes {@code n1..nN} on one fresh database of the embedded PostgreSQL, each with its
 * own data directory, loopback API, SMTP and node-link ports, and the real node directory (the
 * {@code nodes} table). They share one cluster key as an operator sets it up: the first node
 * generates {@code DATA/tls/cluster.p12}, the others get a copy before they start. They share one
 * test clock too, which {@link #advance} moves in steps shorter than a node's time to be called
 * down, every node beating its heartbeat between steps, so moving time never makes a node look
 * lost.
 */
public final class TestCluster implements AutoCloseable {
    private final Path dir;
    private final String database;
    private final MutableClock clock = MutableClock.startingNow();
    private final Map<String, TestServer> running = new LinkedHashMap<>();
    private final Map<String, Integer> linkPorts = new LinkedHashMap<>();

    private TestCluster(Path dir, String database) {
        this.dir = dir;
        this.database = database;
    }

    /** {@code count} nodes, started one after the other, each knowing every other one. */
    public static TestCluster start(Path dir, int count) {
        TestCluster cluster = new TestCluster(dir, EmbeddedPostgresFixture.freshDatabase());
        try {
            for (int i = 1; i <= count; i++) {
                String name = "n" + i;
                if (i > 1) {
                    cluster.copyClusterKey("n1", name);
                }
                cluster.boot(name, 0);
            }
            cluster.heartbeats();
            return cluster;
        } catch (RuntimeException e) {
            cluster.close();
            throw e;
        }
    }

    public TestServer node(String name) {
        TestServer node = running.get(name);
        if (node == null) {
            throw new IllegalStateException("node " + name + " is not running");
        }
        return node;
    }

    /** The running nodes, in the order of their names. */
    public List<TestServer> nodes() {
        return new ArrayList<>(running.values());
    }

    /** The running nodes' names. */
    public List<String> names() {
        return new ArrayList<>(running.keySet());
    }

    public MutableClock clock() {
        return clock;
    }

    /** The cluster's database, as a {@code --database} URL (for a node a test starts itself). */
    public String database() {
        return database;
    }

    /** Stops a node as a crash would look to the others: its row stays, its ports close. */
    public void stop(String name) {
        node(name).close();
        running.remove(name);
    }

    /** Starts a stopped node again on its data directory, the same database and node-link port. */
    public TestServer restart(String name) {
        if (running.containsKey(name)) {
            throw new IllegalStateException("node " + name + " is running");
        }
        TestServer node = boot(name, linkPorts.get(name));
        heartbeats();
        return node;
    }

    /**
     * Every running node stores its heartbeat, then every one reads the node table: what each
     * node's own timer does within {@link ClusterNodes#HEARTBEAT}, done now.
     */
    public void heartbeats() {
        List<ClusterNodes> all = running.values().stream()
                .map(n -> (ClusterNodes) n.server().nodes())
                .toList();
        all.forEach(ClusterNodes::heartbeat);
        all.forEach(ClusterNodes::heartbeat);
    }

    /** Moves the shared clock, in steps a third of the down time, beating heartbeats between them. */
    public void advance(Duration duration) {
        Duration step = ClusterNodes.DOWN_AFTER.dividedBy(3);
        Duration left = duration;
        while (left.isPositive()) {
            Duration now = left.compareTo(step) < 0 ? left : step;
            clock.advance(now);
            heartbeats();
            left = left.minus(now);
        }
    }

    private TestServer boot(String name, int linkPort) {
        TestServer node = TestServer.startConfigured(
                dir.resolve(name),
                clock,
                config -> config.withCluster(config.cluster()
                        .withDatabase(database)
                        .withNode(name)
                        .withNodeLink(new HostPort("127.0.0.1", linkPort))));
        running.put(name, node);
        String link = node.server().nodeLinkAddress().orElseThrow();
        linkPorts.put(name, Integer.parseInt(link.substring(link.lastIndexOf(':') + 1)));
        return node;
    }

    private void copyClusterKey(String from, String to) {
        try {
            Path target = dir.resolve(to).resolve(ClusterKey.FILE);
            Files.createDirectories(target.getParent());
            Files.copy(dir.resolve(from).resolve(ClusterKey.FILE), target);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        running.values().forEach(TestServer::close);
        running.clear();
    }
}
