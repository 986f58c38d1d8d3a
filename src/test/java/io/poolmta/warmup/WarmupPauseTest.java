package io.poolmta.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.AdminHttp;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/** The operator pauses and resumes an IP's warm-up; the account sees the percentage stand still, then go on. */
class WarmupPauseTest {
    @TempDir
    Path dir;

    TestServer server;
    SesV2Client ses;

    @BeforeEach
    void setUp() {
        server = TestServer.start(dir);
        TestAccount acme = server.createAccount("acme");
        server.leaseIps(acme, "127.0.0.11");
        server.addSharedIps("127.0.0.2");
        ses = server.ses(acme);
    }

    @AfterEach
    void tearDown() {
        server.close();
    }

    @Test
    void pausedWarmupStandsStillUntilResumed() {
        server.clock().advance(Duration.ofDays(9));
        assertThat(percentage()).isEqualTo(20);

        var paused = server.admin()
                .ok("POST", "/ips/127.0.0.11/warmup/pause", "{}")
                .get("Ips")
                .get(0);
        assertThat(paused.get("WarmupPaused").asBoolean()).isTrue();
        server.clock().advance(Duration.ofDays(9));
        assertThat(percentage()).isEqualTo(20);

        server.admin().ok("POST", "/ips/127.0.0.11/warmup/resume", "{}");
        server.clock().advance(Duration.ofDays(9));
        assertThat(percentage()).isEqualTo(40);
    }

    @Test
    void onlyWarmingDedicatedIpsCanBePaused() {
        AdminHttp admin = server.admin();
        assertThat(admin.call("POST", "/ips/127.0.0.2/warmup/pause", "{}").errorType())
                .isEqualTo("BadRequestException");
        assertThat(admin.call("POST", "/ips/127.0.0.99/warmup/pause", "{}").errorType())
                .isEqualTo("NotFoundException");
        ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.11").warmupPercentage(100));
        assertThat(admin.call("POST", "/ips/127.0.0.11/warmup/pause", "{}").errorType())
                .isEqualTo("BadRequestException");
    }

    private int percentage() {
        return ses.getDedicatedIp(r -> r.ip("127.0.0.11")).dedicatedIp().warmupPercentage();
    }
}
