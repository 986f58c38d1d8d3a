package io.poolmta.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.nodelink.ClusterKey;
import io.poolmta.testing.EmbeddedPostgresFixture;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.model.GetDedicatedIpPoolResponse;

/**
 * Two real servers with their own data directories on one PostgreSQL database: both register as
 * nodes, an IP added through a node is recorded on it, and what one node creates the other reads
 * (a node started after the change; live refresh is not part of this test).
 */
class PostgresqlClusterTest {
    @TempDir
    Path dir;

    private final List<TestServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(TestServer::close);
    }

    private TestServer node(String name, String database) {
        TestServer server = TestServer.startConfigured(
                dir.resolve(name),
                MutableClock.startingNow(),
                config -> config.withCluster(
                        config.cluster().withDatabase(database).withNode(name)));
        servers.add(server);
        return server;
    }

    @Test
    void twoNodesShareTheControlPlaneAndEachIpHasItsNode() throws Exception {
        String database = EmbeddedPostgresFixture.freshDatabase();
        TestServer a = node("node-a", database);
        TestAccount account = a.createAccount("shared-co");
        a.admin().ok("POST", "/ips", "{\"Ips\":[\"127.0.0.31\"],\"Role\":\"DEDICATED\",\"Account\":\"shared-co\"}");
        a.ses(account).createDedicatedIpPool(r -> r.poolName("marketing"));

        // the operator copies node A's cluster key to node B before starting it (the DKIM keys in the
        // database are sealed under it: a node without it does not start)
        Files.createDirectories(dir.resolve("node-b").resolve(ClusterKey.FILE).getParent());
        Files.copy(
                dir.resolve("node-a").resolve(ClusterKey.FILE),
                dir.resolve("node-b").resolve(ClusterKey.FILE));
        TestServer b = node("node-b", database);
        // node B sees the account, its key, its pool and node A's IP
        GetDedicatedIpPoolResponse pool = b.ses(account).getDedicatedIpPool(r -> r.poolName("marketing"));
        assertThat(pool.dedicatedIpPool().poolName()).isEqualTo("marketing");
        JsonNode ips = b.admin().ok("GET", "/ips", null).get("Ips");
        assertThat(ips).singleElement().satisfies(ip -> {
            assertThat(ip.get("Ip").asText()).isEqualTo("127.0.0.31");
            assertThat(ip.get("Node").asText()).isEqualTo("node-a");
        });
        b.admin().ok("POST", "/ips", "{\"Ips\":[\"127.0.0.32\"],\"Role\":\"RESERVE\"}");
        assertThat(b.server().nodes().nodeOf("127.0.0.32")).contains("node-b");
        assertThat(b.server().nodes().isLocal("127.0.0.32")).isTrue();
        assertThat(b.server().nodes().isLocal("127.0.0.31")).isFalse();

        JsonNode nodes = b.admin().ok("GET", "/nodes", null);
        assertThat(nodes.get("Self").asText()).isEqualTo("node-b");
        assertThat(nodes.get("Nodes")).extracting(n -> n.get("Name").asText()).containsExactly("node-a", "node-b");
        assertThat(nodes.get("Nodes")).extracting(n -> n.get("State").asText()).containsOnly("UP");
        assertThat(nodes.get("Nodes").get(0).get("Api").asText()).isEqualTo(a.url());
        assertThat(nodes.get("Nodes").get(0).get("Smtp").asText()).isEqualTo(a.smtpAddress());

        // the data directories hold no control-plane database
        assertThat(dir.resolve("node-a").resolve("poolmta.mv.db")).doesNotExist();
    }

    @Test
    void theEmbeddedDatabaseHasOneNodeAndEveryIpIsLocal() {
        TestServer solo = TestServer.startConfigured(
                dir.resolve("solo"),
                MutableClock.startingNow(),
                config -> config.withCluster(config.cluster().withNode("solo")));
        servers.add(solo);
        solo.admin().ok("POST", "/ips", "{\"Ips\":[\"127.0.0.33\"],\"Role\":\"SHARED\"}");
        assertThat(solo.server().nodes().isLocal("127.0.0.33")).isTrue();
        JsonNode nodes = solo.admin().ok("GET", "/nodes", null).get("Nodes");
        assertThat(nodes)
                .singleElement()
                .satisfies(n -> assertThat(n.get("Name").asText()).isEqualTo("solo"));
        assertThat(solo.admin()
                        .ok("GET", "/ips", null)
                        .get("Ips")
                        .get(0)
                        .get("Node")
                        .asText())
                .isEqualTo("solo");
    }
}
