package io.poolmta.warmup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * With sending-day counting (warmupSendingDayShare 0.5), a warm-up day counts only when the IP sent
 * at least half of that day's cap: a quiet day is repeated, a busy one moves the plan on.
 */
class SendingDayCountingTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String IP = "127.0.0.11";

    @TempDir
    Path dir;

    TestServer server;
    ScriptedSmtpServer sink;
    SesV2Client ses;

    @BeforeEach
    void setUp() {
        server = TestServer.startConfigured(dir, MutableClock.startingNow(), c -> c.withWarmupSendingDayShare(0.5));
        sink = ScriptedSmtpServer.acceptingAll();
        server.route("example.com", sink.nextHop().toString());
        TestAccount acme = server.createAccount("acme");
        server.leaseIps(acme, IP);
        ses = server.ses(acme);
    }

    @AfterEach
    void tearDown() {
        server.close();
        sink.close();
    }

    @Test
    void aQuietDayIsRepeatedAndABusyDayCounts() {
        send(50); // day 1: 50 of a 200 cap, below half
        server.clock().advance(Duration.ofDays(1).plusMinutes(1));

        await().atMost(WAIT).until(() -> standard().has("SendingDaysJudgedThrough"));
        assertThat(percentage()).as("the quiet day did not count").isZero();
        assertThat(standard().get("DailyCap").asLong()).isEqualTo(200);

        send(120); // the repeated day 1: 120 of 200, at least half
        server.clock().advance(Duration.ofDays(1));

        await().atMost(WAIT).until(() -> percentage() == 2);
        assertThat(standard().get("DailyCap").asLong()).isEqualTo(227);
        assertThat(sink.messages()).hasSize(170);
    }

    private JsonNode standard() {
        JsonNode warmup = server.admin().ok("GET", "/warmup/" + IP, null);
        return warmup.get("Warmup");
    }

    private int percentage() {
        return ses.getDedicatedIp(r -> r.ip(IP)).dedicatedIp().warmupPercentage();
    }

    private void send(int count) {
        int expected = sink.messages().size() + count;
        for (int i = 0; i < count; i++) {
            int n = i;
            ses.sendEmail(r -> r.fromEmailAddress("s@acme.test")
                    .destination(d -> d.toAddresses("u" + n + "@example.com"))
                    .content(c -> c.simple(s -> s.subject(x -> x.data("m" + n)).body(b -> b.text(x -> x.data("b"))))));
        }
        sink.awaitMessages(expected, WAIT);
    }
}
