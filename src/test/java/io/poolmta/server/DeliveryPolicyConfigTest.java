package io.poolmta.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolmta.reputation.ReputationPolicy;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/** The provider table and the warm-up plan are data the operator sets in the config file. */
class DeliveryPolicyConfigTest {
    @TempDir
    Path dir;

    @Test
    void aConfigFileReplacesTheProviderTableAndTheWarmupCaps() throws Exception {
        Path file = dir.resolve("poolmta.json");
        Files.writeString(file, """
                {"warmupDailyCaps": [10, 20, 40],
                 "providers": [{"name": "acme-mail", "domains": ["acme-mail.test"], "mx": ["mx.acme-mail.test"],
                                "connectionsPerIp": 1, "messagesPerConnection": 5, "messagesPerHour": 3,
                                "warmupShare": 1.0},
                               {"name": "other", "connectionsPerIp": 2}]}
                """);

        DeliveryPolicy policy = ServerConfig.fromFile(file).policy();

        assertThat(policy.warmupPlan().dailyCaps()).containsExactly(10L, 20L, 40L);
        assertThat(policy.warmupPlan().length()).isEqualTo(Duration.ofDays(3));
        assertThat(policy.providers().classify("acme-mail.test", List.of())).isEqualTo("acme-mail");
        assertThat(policy.providers().classify("x.test", List.of("mx.acme-mail.test")))
                .isEqualTo("acme-mail");
        assertThat(policy.providers().classify("gmail.com", List.of())).isEqualTo("other");
        assertThat(policy.providers().limits("acme-mail").messagesPerHour()).isEqualTo(3);
        assertThat(policy.providers().limits("other").connectionsPerIp()).isEqualTo(2);
    }

    @Test
    void badPolicyEntriesAreClearErrors() throws Exception {
        Path caps = dir.resolve("caps.json");
        Files.writeString(caps, "{\"warmupDailyCaps\": [10, -1]}");
        assertThatThrownBy(() -> ServerConfig.fromFile(caps)).hasMessageContaining("warmupDailyCaps");
        Path typo = dir.resolve("typo.json");
        Files.writeString(typo, "{\"providers\": [{\"name\": \"x\", \"messagesPerHr\": 5}]}");
        assertThatThrownBy(() -> ServerConfig.fromFile(typo)).hasMessageContaining("messagesPerHr");
        Path share = dir.resolve("share.json");
        Files.writeString(share, "{\"providers\": [{\"name\": \"x\", \"warmupShare\": 2}]}");
        assertThatThrownBy(() -> ServerConfig.fromFile(share)).hasMessageContaining("warmupShare");
    }

    @Test
    void aProvidersHourlyLimitHoldsTheRestForTheNextHour() throws Exception {
        Path file = dir.resolve("poolmta.json");
        Files.writeString(file, """
                {"providers": [{"name": "acme-mail", "domains": ["acme-mail.test"], "messagesPerHour": 3}]}
                """);
        DeliveryPolicy policy = ServerConfig.fromFile(file).policy();
        MutableClock clock = MutableClock.startingNow();
        try (TestServer server = TestServer.startConfigured(dir.resolve("data"), clock, c -> c.withPolicy(policy));
                ScriptedSmtpServer sink = ScriptedSmtpServer.acceptingAll()) {
            server.route("acme-mail.test", sink.nextHop().toString());
            TestAccount acme = server.createAccount("acme");
            SesV2Client ses = server.ses(acme);
            ses.putAccountDedicatedIpWarmupAttributes(r -> r.autoWarmupEnabled(false));
            server.leaseIps(acme, "127.0.0.11");
            for (int i = 0; i < 5; i++) {
                int n = i;
                ses.sendEmail(r -> r.fromEmailAddress("s@acme.test")
                        .destination(d -> d.toAddresses("u" + n + "@acme-mail.test"))
                        .content(c ->
                                c.simple(s -> s.subject(x -> x.data("m" + n)).body(b -> b.text(x -> x.data("b"))))));
            }

            sink.awaitMessages(3, Duration.ofSeconds(20));
            Awaitility.await()
                    .during(Duration.ofMillis(500))
                    .atMost(Duration.ofSeconds(5))
                    .until(() -> sink.messages().size() == 3);

            clock.advance(Duration.ofHours(1));
            assertThat(sink.awaitMessages(5, Duration.ofSeconds(20))).hasSize(5);
        }
    }

    @Test
    void reputationThresholdsAreConfigurationWithSesDefaults() throws Exception {
        assertThat(ServerConfig.defaults().policy().reputation()).isEqualTo(ReputationPolicy.DEFAULT);
        assertThat(ReputationPolicy.DEFAULT.bounceReviewRate()).isEqualTo(0.05);
        assertThat(ReputationPolicy.DEFAULT.complaintPauseRate()).isEqualTo(0.005);
        Path file = dir.resolve("reputation.json");
        Files.writeString(file, """
                {"reputationBounceReviewRate": 0.03, "reputationBouncePauseRate": 0.08,
                 "reputationWindowDays": 3, "reputationMinimumSends": 100, "sharedPoolReviewSendRate": 0.5}
                """);

        ReputationPolicy policy = ServerConfig.fromFile(file).policy().reputation();

        assertThat(policy.bounceReviewRate()).isEqualTo(0.03);
        assertThat(policy.bouncePauseRate()).isEqualTo(0.08);
        assertThat(policy.complaintReviewRate()).isEqualTo(0.001);
        assertThat(policy.window()).isEqualTo(Duration.ofDays(3));
        assertThat(policy.minimumSends()).isEqualTo(100);
        assertThat(policy.sharedPoolReviewSendRate()).isEqualTo(0.5);
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"reputationBouncePauseRate\": 1.5}");
        assertThatThrownBy(() -> ServerConfig.fromFile(bad)).hasMessageContaining("reputationBouncePauseRate");
        Files.writeString(bad, "{\"reputationBounceReviewRate\": 0.2}");
        assertThatThrownBy(() -> ServerConfig.fromFile(bad)).hasMessageContaining("pause rate must not be below");
    }

    @Test
    void theSpoolReserveIsSetInMibAndCheckedWhenRead() throws Exception {
        assertThat(ServerConfig.defaults().spoolMinFreeMb()).isEqualTo(64);
        Path file = dir.resolve("reserve.json");
        Files.writeString(file, "{\"spoolMinFreeMb\": 512}");
        assertThat(ServerConfig.fromFile(file).spoolMinFreeMb()).isEqualTo(512);
        Files.writeString(file, "{\"spoolMinFreeMb\": 0}");
        assertThat(ServerConfig.fromFile(file).spoolMinFreeMb()).isZero();
        for (String bad : new String[] {"-1", "1.5", "\"64\""}) {
            Files.writeString(file, "{\"spoolMinFreeMb\": " + bad + "}");
            assertThatThrownBy(() -> ServerConfig.fromFile(file)).as(bad).hasMessageContaining("spoolMinFreeMb");
        }
    }
}
