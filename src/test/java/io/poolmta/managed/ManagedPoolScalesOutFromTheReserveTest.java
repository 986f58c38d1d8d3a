package io.poolmta.managed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import io.poolmta.warmup.WarmupPlan;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.DedicatedIp;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.ScalingMode;
import software.amazon.awssdk.services.sesv2.model.WarmupStatus;

/**
 * A MANAGED pool created empty draws its first IP from the operator's reserve when mail arrives;
 * as volume to one provider (gmail.com, routed to a loopback sink) rises past what its IPs may send
 * that provider today, it scales out from the reserve; each IP's per-provider warm-up is reported;
 * idle IPs go back to the reserve, and deleting the pool returns all of them.
 */
class ManagedPoolScalesOutFromTheReserveTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final List<Long> CAPS = WarmupPlan.standard().dailyCaps();
    private static final String POOL = "managed";

    @TempDir
    Path dir;

    TestServer server;
    ScriptedSmtpServer gmail;
    SesV2Client ses;
    int sent;

    @BeforeEach
    void setUp() {
        // one hour into a UTC day, so day windows do not turn during a step
        server = TestServer.start(
                dir, new MutableClock(Instant.now().truncatedTo(ChronoUnit.DAYS).plus(Duration.ofHours(1))));
        gmail = ScriptedSmtpServer.acceptingAll();
        server.route("gmail.com", gmail.nextHop().toString());
        TestAccount acme = server.createAccount("acme");
        // these tests send as fast as they can: no rate limit, as for a bulk sender
        server.admin().ok("POST", "/accounts/acme/production-access", "{\"MaxSendRate\":-1}");
        ses = server.ses(acme);
        ses.createDedicatedIpPool(r -> r.poolName(POOL).scalingMode(ScalingMode.MANAGED));
        ses.createConfigurationSet(r -> r.configurationSetName("bulk").deliveryOptions(d -> d.sendingPoolName(POOL)));
    }

    @AfterEach
    void tearDown() {
        server.close();
        gmail.close();
    }

    @Test
    void risingVolumeToOneProviderScalesThePoolOutFromTheReserve() throws Exception {
        assertThatThrownBy(() -> send(1))
                .isInstanceOf(NotFoundException.class)
                .hasMessageContaining("reserve is empty");
        server.addReserveIps("127.0.0.51", "127.0.0.52", "127.0.0.53", "127.0.0.54");

        // day 0: the first message gives the pool its first IP; 150 fit under its google cap (200)
        send(150);
        assertThat(bySource(gmail.awaitMessages(150, WAIT))).containsOnly(Map.entry("127.0.0.51", 150L));
        assertThat(poolIps()).extracting(DedicatedIp::ip).containsExactly("127.0.0.51");
        assertThat(server.server().managedPools().runOnce()).isEmpty();

        // day 1: .51 is at level 1 with google (CAPS[1] = 227); 400 is more: the rest waits, the pool scales out
        server.clock().advance(Duration.ofDays(1));
        send(400);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(List.of(
                                gmail.messages().size(),
                                server.server().delivery().queued()))
                        .containsExactly(150 + 227, 173));
        List<ScalingChange> out = server.server().managedPools().runOnce();
        assertThat(out).singleElement().satisfies(c -> {
            assertThat(c.direction()).isEqualTo(ScalingChange.Direction.OUT);
            assertThat(c.ip()).isEqualTo("127.0.0.52");
            assertThat(c.reason()).contains("google");
        });
        server.clock().advance(Duration.ofMinutes(11)); // the waiting mail looks again, finds the new IP
        gmail.awaitMessages(550, WAIT);

        // day 2: CAPS[2] + CAPS[1] (257 + 227) of room; 600 is more again: a third IP
        long room = CAPS.get(2) + CAPS.get(1);
        server.clock().advance(Duration.ofDays(1).minusMinutes(11));
        send(600);
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(List.of(
                                gmail.messages().size(),
                                server.server().delivery().queued()))
                        .containsExactly((int) (550 + room), (int) (600 - room)));
        assertThat(server.server().managedPools().runOnce())
                .extracting(ScalingChange::ip)
                .containsExactly("127.0.0.53");
        server.clock().advance(Duration.ofMinutes(11));
        Map<String, Long> bySource = bySource(gmail.awaitMessages(1150, WAIT));
        assertThat(bySource)
                .containsOnly(
                        Map.entry("127.0.0.51", 150L + CAPS.get(1) + CAPS.get(2)),
                        Map.entry("127.0.0.52", 173L + CAPS.get(1)),
                        Map.entry("127.0.0.53", 600 - room));

        // SES sees managed IPs without a standard warm-up
        assertThat(poolIps()).extracting(DedicatedIp::ip).containsExactly("127.0.0.51", "127.0.0.52", "127.0.0.53");
        assertThat(poolIps()).allSatisfy(ip -> {
            assertThat(ip.warmupStatus()).isEqualTo(WarmupStatus.NOT_APPLICABLE);
            assertThat(ip.warmupPercentage()).isEqualTo(-1);
            assertThat(ip.poolName()).isEqualTo(POOL);
        });

        // the operator sees each IP's warm-up per provider: warming with google, cold with the others
        JsonNode first = server.admin().ok("GET", "/warmup/127.0.0.51", null);
        assertThat(first.path("ScalingMode").asText()).isEqualTo("MANAGED");
        assertThat(first.at("/Warmup/Status").asText()).isEqualTo("NOT_APPLICABLE");
        assertThat(provider(first, "google").path("Level").asInt()).isEqualTo(2);
        assertThat(provider(first, "google").path("DailyCap").asLong()).isEqualTo(CAPS.get(2));
        assertThat(provider(first, "google").path("SentToday").asLong()).isEqualTo(CAPS.get(2));
        assertThat(provider(first, "google").path("Status").asText()).isEqualTo("WARMING");
        assertThat(provider(first, "microsoft").path("Level").asInt()).isZero();
        assertThat(provider(first, "microsoft").path("Status").asText()).isEqualTo("COLD");
        assertThat(provider(first, "microsoft").path("DailyCap").asLong()).isEqualTo(WarmupPlan.FIRST_DAY_CAP);
        JsonNode third = server.admin().ok("GET", "/warmup/127.0.0.53", null);
        assertThat(provider(third, "google").path("Level").asInt()).isZero();
        assertThat(provider(third, "google").path("SentToday").asLong()).isEqualTo(600 - room);

        // a week and more without mail: idle IPs go back to the reserve, one stays; its google level fell back
        server.clock().advance(Duration.ofDays(ScalingPolicy.IDLE_DAYS_BEFORE_RELEASE + 1));
        assertThat(server.server().managedPools().runOnce())
                .hasSize(2)
                .allSatisfy(c -> assertThat(c.direction()).isEqualTo(ScalingChange.Direction.IN));
        assertThat(poolIps()).hasSize(ScalingPolicy.MIN_IPS);
        String kept = poolIps().getFirst().ip();
        assertThat(provider(server.admin().ok("GET", "/warmup/" + kept, null), "google")
                        .path("Status")
                        .asText())
                .isEqualTo("COLD");

        // deleting the pool returns every IP to the reserve
        ses.deleteConfigurationSet(r -> r.configurationSetName("bulk"));
        ses.deleteDedicatedIpPool(r -> r.poolName(POOL));
        assertThat(ses.getDedicatedIps(r -> {}).dedicatedIps()).isEmpty();
        JsonNode all = server.admin().ok("GET", "/ips", null);
        List<String> reserve = new ArrayList<>();
        all.path("Ips").forEach(ip -> {
            if (ip.path("Role").asText().equals("RESERVE")) {
                reserve.add(ip.path("Ip").asText());
            }
        });
        assertThat(reserve).containsExactly("127.0.0.51", "127.0.0.52", "127.0.0.53", "127.0.0.54");
        assertThat(server.admin()
                        .ok("GET", "/warmup/127.0.0.51", null)
                        .path("Role")
                        .asText())
                .isEqualTo("RESERVE");
    }

    @Test
    void aYoungPoolsExcessOverflowsToTheSharedPoolAndStillScalesOut() throws Exception {
        server.addReserveIps("127.0.0.51", "127.0.0.52");
        server.addSharedIps("127.0.0.2");

        send(250);

        assertThat(bySource(gmail.awaitMessages(250, WAIT)))
                .containsOnly(Map.entry("127.0.0.51", WarmupPlan.FIRST_DAY_CAP), Map.entry("127.0.0.2", 50L));
        assertThat(server.server().managedPools().runOnce())
                .extracting(ScalingChange::ip)
                .containsExactly("127.0.0.52");
        assertThat(poolIps()).hasSize(2);
    }

    private List<DedicatedIp> poolIps() {
        return ses.getDedicatedIps(r -> r.poolName(POOL)).dedicatedIps();
    }

    private static JsonNode provider(JsonNode warmup, String name) {
        for (JsonNode p : warmup.path("Providers")) {
            if (p.path("Provider").asText().equals(name)) {
                return p;
            }
        }
        throw new AssertionError("no provider " + name + " in " + warmup);
    }

    private void send(int count) throws Exception {
        int base = sent;
        sent += count;
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        int n = base + i;
                        ses.sendEmail(r -> r.fromEmailAddress("news@acme.test")
                                .configurationSetName("bulk")
                                .destination(d -> d.toAddresses("user" + n + "@gmail.com"))
                                .content(c -> c.simple(
                                        s -> s.subject(x -> x.data("m" + n)).body(b -> b.text(x -> x.data("b"))))));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof RuntimeException r ? r : e;
                }
            }
        }
    }

    private static Map<String, Long> bySource(List<ReceivedMessage> messages) {
        return messages.stream().collect(Collectors.groupingBy(ReceivedMessage::sourceAddress, Collectors.counting()));
    }
}
