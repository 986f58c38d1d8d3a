package io.poolmta.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.poolmta.sim.ProviderProfile;
import io.poolmta.sim.ProviderSimulator;
import io.poolmta.testing.EventLog;
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
 * Adaptive throttling against the Gmail-like simulator (a new IP may send 60 an hour): when the
 * provider throttles, PoolMTA halves its connections and pauses instead of hammering; as deliveries
 * succeed it ramps back up step by step; every message still arrives.
 */
class ThrottlingProviderTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String IP = "127.0.0.41";

    @TempDir
    Path dir;

    TestServer server;
    ProviderSimulator gmail;
    SesV2Client ses;

    @BeforeEach
    void setUp() throws Exception {
        server = TestServer.start(dir);
        gmail = ProviderSimulator.onLoopback(ProviderProfile.gmailLike(), server.clock());
        server.route("gmail.com", gmail.hostPort());
        TestAccount acme = server.createAccount("acme");
        ses = server.ses(acme);
        ses.putAccountDedicatedIpWarmupAttributes(r -> r.autoWarmupEnabled(false)); // no warm-up cap in the way
        server.leaseIps(acme, IP);
    }

    @AfterEach
    void tearDown() {
        server.close();
        gmail.close();
    }

    @Test
    void throttledPathSlowsDownRecoversAndDeliversEverything() {
        for (int i = 0; i < 150; i++) {
            int n = i;
            ses.sendEmail(r -> r.fromEmailAddress("news@acme.test")
                    .destination(d -> d.toAddresses("user" + n + "@gmail.com"))
                    .content(c -> c.simple(s -> s.subject(x -> x.data("m" + n)).body(b -> b.text(x -> x.data("b"))))));
        }

        // the first hour: the provider takes what it allows a new IP, then throttles; PoolMTA backs off
        await().atMost(WAIT)
                .until(() ->
                        throttle().throttles() >= 1 && throttle().pausedUntil().isPresent());
        AdaptiveThrottle.Snapshot throttled = throttle();
        assertThat(throttled.connectionLimit()).isLessThan(throttled.maxConnections());
        assertThat(accepted()).isLessThanOrEqualTo(60);
        assertThat(EventLog.of(server).all()).anySatisfy(e -> {
            assertThat(e.path("eventType").asText()).isEqualTo("DeliveryDelay");
            assertThat(e.at("/deliveryDelay/delayType").asText()).isEqualTo("IPFailure");
            assertThat(e.at("/deliveryDelay/delayedRecipients/0/diagnosticCode").asText())
                    .contains("4.7.");
        });

        // hour by hour: the pause ends, mail flows until the provider throttles again; never more than allowed.
        // An hour may pass without a delivery: the test clock jumps, so when the first attempt after a jump is
        // throttled (the simulator also refuses a 4th connection at once), the path stays paused until the next jump.
        java.util.List<Long> acceptedPerHour = new java.util.ArrayList<>();
        long before = accepted();
        for (int hour = 0; hour < 8 && accepted() < 150; hour++) {
            server.clock().advance(Duration.ofMinutes(61));
            await().atMost(WAIT)
                    .until(() -> accepted() == 150
                            || server.server().delivery().queued() > 0
                                    && throttle().pausedUntil().isPresent());
            // a throttle on one connection pauses the path while others may still finish a message
            awaitAcceptedSettles();
            acceptedPerHour.add(accepted() - before);
            before = accepted();
        }

        assertThat(accepted()).as("accepted per hour %s", acceptedPerHour).isEqualTo(150);
        assertThat(acceptedPerHour).allSatisfy(n -> assertThat(n).isBetween(0L, 60L));
        assertThat(acceptedPerHour)
                .as("hours with deliveries")
                .filteredOn(n -> n > 0)
                .hasSizeGreaterThanOrEqualTo(2);
        assertThat(server.server().delivery().bounced()).isZero();
        // backing off, not hammering: far fewer refusals than messages
        long refusals = gmail.throttledBySource().getOrDefault(IP, 0L);
        assertThat(refusals).as("refusals").isLessThan(150);
    }

    /** Until the count of accepted messages has not moved for half a second. */
    private void awaitAcceptedSettles() {
        long[] last = {-1};
        await().atMost(WAIT)
                .pollInterval(Duration.ofMillis(50))
                .during(Duration.ofMillis(500))
                .until(() -> {
                    long now = accepted();
                    boolean same = now == last[0];
                    last[0] = now;
                    return same;
                });
    }

    private long accepted() {
        return gmail.acceptedMessagesBySource().getOrDefault(IP, 0L);
    }

    private AdaptiveThrottle.Snapshot throttle() {
        return server.server().delivery().throttles().stream()
                .filter(t -> t.sourceIp().equals(IP) && t.provider().equals("google"))
                .findFirst()
                .orElse(new AdaptiveThrottle.Snapshot(IP, "google", 4, 4, java.util.Optional.empty(), 0, 0, ""));
    }
}
