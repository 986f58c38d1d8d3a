package io.poolmta.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.DedicatedIp;
import software.amazon.awssdk.services.sesv2.model.GetConfigurationSetResponse;
import software.amazon.awssdk.services.sesv2.model.ScalingMode;
import software.amazon.awssdk.services.sesv2.model.Tag;
import software.amazon.awssdk.services.sesv2.model.TlsPolicy;
import software.amazon.awssdk.services.sesv2.model.WarmupStatus;

/** Stop the server, start it on the same data directory: every pool, IP, setting, set and tag is intact. */
class RestartKeepsStateTest {
    @TempDir
    Path dir;

    TestServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void everythingSurvivesARestart() {
        server = TestServer.start(dir);
        TestAccount acme = server.createAccount("acme");
        server.leaseIps(acme, "127.0.0.11", "127.0.0.12", "127.0.0.21");
        server.addSharedIps("127.0.0.2");
        server.admin().ok("PUT", "/routes/example.com", "{\"NextHop\":\"127.0.0.1:2525\"}");
        SesV2Client ses = server.ses(acme);
        ses.createDedicatedIpPool(r -> r.poolName("marketing")
                .tags(Tag.builder().key("team").value("growth").build()));
        ses.createDedicatedIpPool(r -> r.poolName("auto").scalingMode(ScalingMode.MANAGED));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.11").destinationPoolName("marketing"));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.12").destinationPoolName("marketing"));
        ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.12").warmupPercentage(100));
        ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.21").warmupPercentage(40));
        ses.putAccountDedicatedIpWarmupAttributes(r -> r.autoWarmupEnabled(false));
        ses.createConfigurationSet(r -> r.configurationSetName("newsletters")
                .deliveryOptions(d -> d.sendingPoolName("marketing")
                        .tlsPolicy(TlsPolicy.REQUIRE)
                        .maxDeliverySeconds(3600L))
                .sendingOptions(s -> s.sendingEnabled(false))
                .reputationOptions(o -> o.reputationMetricsEnabled(true))
                .trackingOptions(t -> t.customRedirectDomain("click.example.com"))
                .tags(Tag.builder().key("kind").value("bulk").build()));
        GetConfigurationSetResponse setBefore = ses.getConfigurationSet(r -> r.configurationSetName("newsletters"));

        server.restart();

        SesV2Client after = server.ses(acme);
        assertThat(after.listDedicatedIpPools(r -> {}).dedicatedIpPools()).containsExactly("auto", "marketing");
        assertThat(after.getDedicatedIpPool(r -> r.poolName("auto"))
                        .dedicatedIpPool()
                        .scalingMode())
                .isEqualTo(ScalingMode.MANAGED);
        assertThat(after.listTagsForResource(r -> r.resourceArn(acme.poolArn("marketing")))
                        .tags())
                .containsExactly(Tag.builder().key("team").value("growth").build());
        List<DedicatedIp> marketing =
                after.getDedicatedIps(r -> r.poolName("marketing")).dedicatedIps();
        assertThat(marketing).extracting(DedicatedIp::ip).containsExactly("127.0.0.11", "127.0.0.12");
        assertThat(marketing.get(0).warmupStatus()).isEqualTo(WarmupStatus.IN_PROGRESS);
        assertThat(marketing.get(1).warmupStatus()).isEqualTo(WarmupStatus.DONE);
        DedicatedIp warming = after.getDedicatedIp(r -> r.ip("127.0.0.21")).dedicatedIp();
        assertThat(warming.poolName()).isEqualTo("ses-default-dedicated-pool");
        assertThat(warming.warmupPercentage()).isEqualTo(40);
        assertThat(after.getAccount(r -> {}).dedicatedIpAutoWarmupEnabled()).isFalse();
        GetConfigurationSetResponse setAfter = after.getConfigurationSet(r -> r.configurationSetName("newsletters"));
        assertThat(setAfter)
                .isEqualTo(setBefore.toBuilder()
                        .responseMetadata(setAfter.responseMetadata())
                        .sdkHttpResponse(setAfter.sdkHttpResponse())
                        .build());
        assertThat(setAfter.deliveryOptions().sendingPoolName()).isEqualTo("marketing");
        assertThat(setAfter.sendingOptions().sendingEnabled()).isFalse();

        JsonNode ips = server.admin().ok("GET", "/ips", null).get("Ips");
        assertThat(ips).hasSize(4);
        assertThat(ips.get(0).get("Ip").asText()).isEqualTo("127.0.0.2");
        assertThat(ips.get(0).get("Role").asText()).isEqualTo("SHARED");
        assertThat(server.admin()
                        .ok("GET", "/routes", null)
                        .get("Routes")
                        .get(0)
                        .get("NextHop")
                        .asText())
                .isEqualTo("127.0.0.1:2525");
        // the same access key still authenticates, and the operator token is unchanged
        assertThat(after.getAccount(r -> {}).sendingEnabled()).isTrue();
    }

    @Test
    void operatorCredentialIsOwnerOnlyAndStableAcrossRestarts() throws Exception {
        server = TestServer.start(dir);
        String token = server.operatorToken();

        server.restart();

        assertThat(server.operatorToken()).isEqualTo(token);
        assertThat(Files.getPosixFilePermissions(dir.resolve("operator.json")))
                .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
    }
}
