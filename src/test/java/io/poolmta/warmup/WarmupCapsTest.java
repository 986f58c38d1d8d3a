package io.poolmta.warmup;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.testing.EventLog;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

/**
 * Warm-up is a cap enforced by source selection: a new IP sends no more than its plan day's cap
 * (200 on day 1); the rest leaves from warm IPs of the same pool, or from the shared pool for an
 * account still on its first dedicated IPs, or waits for the next day. Never another dedicated pool.
 */
class WarmupCapsTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** Concurrent API clients: more of them share each spool fsync (group commit). */
    private static final int SENDERS = 32;

    @TempDir
    Path dir;

    TestServer server;
    ScriptedSmtpServer sink;
    TestAccount acme;
    SesV2Client ses;

    @BeforeEach
    void setUp() {
        server = TestServer.start(dir);
        sink = ScriptedSmtpServer.acceptingAll();
        server.route("example.com", sink.nextHop().toString());
        acme = server.createAccount("acme");
        // these tests send as fast as they can: no rate limit, as for a bulk sender
        server.admin().ok("POST", "/accounts/acme/production-access", "{\"MaxSendRate\":-1}");
        ses = server.ses(acme);
        ses.createDedicatedIpPool(r -> r.poolName("bulk"));
        ses.createConfigurationSet(r -> r.configurationSetName("bulk").deliveryOptions(d -> d.sendingPoolName("bulk")));
    }

    @AfterEach
    void tearDown() {
        server.close();
        sink.close();
    }

    @Test
    void aNewIpSendsNoMoreThanItsCapAndTheRestLeavesFromTheWarmIp() throws Exception {
        server.leaseIps(acme, "127.0.0.11", "127.0.0.12");
        inPool("127.0.0.11", "127.0.0.12");
        ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.12").warmupPercentage(100));

        sendConcurrently(10_000);

        Map<String, Long> bySource = bySource(sink.awaitMessages(10_000, WAIT));
        assertThat(bySource).containsOnlyKeys("127.0.0.11", "127.0.0.12");
        assertThat(bySource.get("127.0.0.11")).isEqualTo(WarmupPlan.FIRST_DAY_CAP);
        assertThat(bySource.get("127.0.0.12")).isEqualTo(10_000 - WarmupPlan.FIRST_DAY_CAP);
    }

    @Test
    void anAccountOnItsFirstDedicatedIpsOverflowsToTheSharedPool() throws Exception {
        server.leaseIps(acme, "127.0.0.11", "127.0.0.12");
        server.addSharedIps("127.0.0.2");
        inPool("127.0.0.11", "127.0.0.12");

        sendConcurrently(600);

        Map<String, Long> bySource = bySource(sink.awaitMessages(600, WAIT));
        assertThat(bySource)
                .containsEntry("127.0.0.11", 200L)
                .containsEntry("127.0.0.12", 200L)
                .containsEntry("127.0.0.2", 200L);
        JsonNode overflow = EventLog.of(server)
                .awaitAll(
                        events -> events.stream()
                                        .filter(this::isDelivery)
                                        .filter(e -> e.at("/mail/tags/ses:outgoing-ip/0")
                                                .asText()
                                                .equals("127.0.0.2"))
                                        .count()
                                == 200,
                        WAIT)
                .stream()
                .filter(this::isDelivery)
                .filter(e -> e.at("/mail/tags/ses:outgoing-ip/0").asText().equals("127.0.0.2"))
                .findFirst()
                .orElseThrow();
        assertThat(overflow.at("/mail/tags/poolmta:pool/0").asText()).isEqualTo("ses-shared-pool");
        assertThat(overflow.at("/mail/tags/poolmta:overflow-from/0").asText()).isEqualTo("bulk");
    }

    @Test
    void withAWarmIpElsewhereTheExcessWaitsForTheNextDayAndNeverUsesAnotherPool() throws Exception {
        server.leaseIps(acme, "127.0.0.11", "127.0.0.31");
        // late on the IP's first day, so the next day's cap arrives within MaxDeliverySeconds (14 h)
        server.clock().advance(Duration.ofHours(23));
        server.addSharedIps("127.0.0.2");
        inPool("127.0.0.11");
        ses.createDedicatedIpPool(r -> r.poolName("other"));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.31").destinationPoolName("other"));
        ses.putDedicatedIpWarmupAttributes(r -> r.ip("127.0.0.31").warmupPercentage(100));

        sendConcurrently(300);

        assertThat(bySource(sink.awaitMessages(200, WAIT))).containsOnlyKeys("127.0.0.11");
        assertThat(server.server().delivery().queued()).isEqualTo(100);
        assertThat(sink.messages()).hasSize(200);

        server.clock().advance(Duration.ofHours(2));

        Map<String, Long> bySource = bySource(sink.awaitMessages(300, WAIT));
        assertThat(bySource).containsOnly(Map.entry("127.0.0.11", 300L));
    }

    @Test
    void duringWarmupOneProviderTakesAtMostItsShareOfTheCap() throws Exception {
        server.route("gmail.com", sink.nextHop().toString());
        server.leaseIps(acme, "127.0.0.11");
        server.addSharedIps("127.0.0.2");
        inPool("127.0.0.11");

        sendConcurrently(150, "gmail.com");
        sendConcurrently(50, "example.com");

        var received = sink.awaitMessages(200, WAIT);
        Map<String, Long> gmailBySource = bySource(received.stream()
                .filter(m -> m.recipients().getFirst().endsWith("@gmail.com"))
                .toList());
        assertThat(gmailBySource).containsEntry("127.0.0.11", 100L).containsEntry("127.0.0.2", 50L);
        assertThat(received.stream().filter(m -> m.recipients().getFirst().endsWith("@example.com")))
                .allSatisfy(m -> assertThat(m.sourceAddress()).isEqualTo("127.0.0.11"));
    }

    private boolean isDelivery(JsonNode event) {
        return event.path("eventType").asText().equals("Delivery");
    }

    private void inPool(String... ips) {
        for (String ip : ips) {
            ses.putDedicatedIpInPool(r -> r.ip(ip).destinationPoolName("bulk"));
        }
    }

    private void sendConcurrently(int count) throws Exception {
        sendConcurrently(count, "example.com");
    }

    private void sendConcurrently(int count, String domain) throws Exception {
        AtomicInteger next = new AtomicInteger();
        try (ExecutorService pool = Executors.newFixedThreadPool(SENDERS)) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < SENDERS; t++) {
                futures.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        int n = i;
                        ses.sendEmail(r -> r.fromEmailAddress("sender@acme.test")
                                .configurationSetName("bulk")
                                .destination(d -> d.toAddresses("user" + n + "@" + domain))
                                .content(c -> c.simple(
                                        s -> s.subject(x -> x.data("m" + n)).body(b -> b.text(x -> x.data("b"))))));
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
    }

    private static Map<String, Long> bySource(List<ReceivedMessage> messages) {
        return messages.stream().collect(Collectors.groupingBy(ReceivedMessage::sourceAddress, Collectors.counting()));
    }
}
