package io.poolmta.reputation;

import static io.poolmta.testing.SesErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.testing.EventLog;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.SmtpCredentials;
import io.poolmta.testing.SmtpSubmit;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.BatchGetMetricDataQuery;
import software.amazon.awssdk.services.sesv2.model.BatchGetMetricDataResponse;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;
import software.amazon.awssdk.services.sesv2.model.Metric;
import software.amazon.awssdk.services.sesv2.model.MetricDataResult;
import software.amazon.awssdk.services.sesv2.model.MetricDimensionName;
import software.amazon.awssdk.services.sesv2.model.MetricNamespace;
import software.amazon.awssdk.services.sesv2.model.SendingPausedException;

/**
 * Reputation through the real server: mail goes over SMTP to a sink that refuses some recipients
 * (550 at RCPT, a synchronous permanent bounce), the bounce events drive the counters and
 * enforcement, and the AWS SDK sees the result (GetAccount, SendingPausedException,
 * BatchGetMetricData). The minimum volume is lowered to 40 sends so a test sends tens, not
 * hundreds, of messages.
 */
class ReputationEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int BAD = 20;

    @TempDir
    Path dir;

    TestServer server;
    ScriptedSmtpServer sink;

    @BeforeEach
    void setUp() {
        ScriptedSmtpServer.Builder builder = ScriptedSmtpServer.builder();
        for (int i = 0; i < BAD; i++) {
            builder.rejectRecipient("bad" + i + "@example.com", 550, "5.1.1 no such user");
        }
        sink = builder.start();
        server = TestServer.startConfigured(
                dir,
                MutableClock.startingNow(),
                config -> config.withPolicy(
                        config.policy().withReputation(ReputationPolicy.DEFAULT.withMinimumSends(40))));
        server.route("example.com", sink.nextHop().toString());
        server.route("gmail.com", sink.nextHop().toString());
        server.addSharedIps("127.0.0.2");
    }

    @AfterEach
    void tearDown() {
        server.close();
        sink.close();
    }

    @Test
    void anAccountCrossingFiveThenTenPercentIsReviewedThenPausedUntilReinstated() {
        TestAccount acme = server.createAccount("acme");
        server.leaseIps(acme, "127.0.0.11");
        SesV2Client ses = server.ses(acme);
        assertThat(ses.getAccount(r -> {}).enforcementStatus()).isEqualTo("HEALTHY");

        for (int i = 0; i < 56; i++) {
            send(ses, null, "news@brand.test", "good" + i + "@example.com");
        }
        for (int i = 0; i < 4; i++) {
            send(ses, null, "news@brand.test", "bad" + i + "@example.com");
        }
        // 4 of 60: 6.7 %
        await().atMost(WAIT).until(() -> ses.getAccount(r -> {}).enforcementStatus(), s -> s.equals("PROBATION"));
        assertThat(ses.getAccount(r -> {}).sendingEnabled()).isTrue();

        for (int i = 4; i < 7; i++) {
            send(ses, null, "news@brand.test", "bad" + i + "@example.com");
        }
        // 7 of 63: 11.1 % (6 of 62 was 9.7 %)
        await().atMost(WAIT).until(() -> ses.getAccount(r -> {}).enforcementStatus(), s -> s.equals("SHUTDOWN"));
        assertThat(ses.getAccount(r -> {}).sendingEnabled()).isFalse();
        SendingPausedException paused = expectError(
                () -> send(ses, null, "news@brand.test", "good@example.com"), SendingPausedException.class, 400);
        assertThat(paused.awsErrorDetails().errorMessage())
                .contains("reputation enforcement")
                .contains("bounce rate 11.11 % (7 of 63)")
                .contains("poolmta account reinstate");
        SmtpCredentials smtp = SmtpCredentials.create(server, "acme");
        assertThatThrownBy(() -> SmtpSubmit.send(server, smtp.username(), smtp.password(), "paused"))
                .hasStackTraceContaining("554 5.7.1")
                .hasStackTraceContaining("paused for this account by reputation enforcement");

        JsonNode reinstated = server.admin().ok("POST", "/accounts/acme/reinstate", "{}");

        assertThat(reinstated.path("Status").asText()).isEqualTo("HEALTHY");
        assertThat(ses.getAccount(r -> {}).enforcementStatus()).isEqualTo("HEALTHY");
        send(ses, null, "news@brand.test", "again@example.com");
        await().atMost(WAIT)
                .until(() ->
                        sink.messages().stream().anyMatch(m -> m.recipients().contains("again@example.com")));
    }

    @Test
    void theSharedPoolGuardHoldsBackOneAccountWhileAnothersSharedMailFlows() {
        TestAccount bad = server.createAccount("bad");
        server.leaseIps(bad, "127.0.0.11");
        SesV2Client badSes = server.ses(bad);
        badSes.createConfigurationSet(
                r -> r.configurationSetName("shared").deliveryOptions(d -> d.sendingPoolName("ses-shared-pool")));
        TestAccount good = server.createAccount("good"); // no IPs of its own: it sends from the shared pool
        SesV2Client goodSes = server.ses(good);

        for (int i = 0; i < 60; i++) {
            send(badSes, null, "news@bad.test", "dedicated" + i + "@example.com");
        }
        for (int i = 0; i < 36; i++) {
            send(badSes, "shared", "news@bad.test", "shared" + i + "@example.com");
        }
        for (int i = 0; i < 4; i++) {
            send(badSes, "shared", "news@bad.test", "bad" + i + "@example.com");
        }
        // on the shared pool 4 of 40 (10 %); the account 4 of 100 (4 %)
        await().atMost(WAIT).until(() -> sharedPoolStatus("bad"), s -> s.equals("SHUTDOWN"));
        assertThat(badSes.getAccount(r -> {}).enforcementStatus()).isEqualTo("HEALTHY");

        MessageRejectedException refused = catchThrowableOfType(
                MessageRejectedException.class, () -> send(badSes, "shared", "news@bad.test", "late@example.com"));
        assertThat(refused).isNotNull();
        assertThat(refused.statusCode()).isEqualTo(400);
        assertThat(refused.awsErrorDetails().errorMessage()).contains("may no longer send through ses-shared-pool");
        send(badSes, null, "news@bad.test", "own-ips@example.com");
        send(goodSes, null, "news@good.test", "flows@example.com");

        Map<String, ReceivedMessage> byRecipient = awaitRecipients("own-ips@example.com", "flows@example.com");
        assertThat(byRecipient.get("own-ips@example.com").sourceAddress()).isEqualTo("127.0.0.11");
        assertThat(byRecipient.get("flows@example.com").sourceAddress()).isEqualTo("127.0.0.2");
        assertThat(sink.messages().stream().flatMap(m -> m.recipients().stream()))
                .doesNotContain("late@example.com");
        JsonNode reputation = server.admin().ok("GET", "/reputation", null);
        assertThat(reputation.toString()).contains("\"SharedPool\":{\"Status\":\"SHUTDOWN\"");
    }

    @Test
    void batchGetMetricDataCountsPerDimensionAndSurvivesARestart() {
        TestAccount acme = server.createAccount("acme");
        server.vouchSenders(acme, List.of("other.test")); // a second From domain, for EMAIL_IDENTITY
        server.leaseIps(acme, "127.0.0.11");
        SesV2Client ses = server.ses(acme);
        ses.createConfigurationSet(r -> r.configurationSetName("marketing"));
        for (int i = 0; i < 3; i++) {
            send(ses, "marketing", "News <news@brand.test>", "reader" + i + "@gmail.com");
        }
        send(ses, null, "a@other.test", "one@example.com");
        send(ses, null, "a@other.test", "two@example.com");
        String bounced = send(ses, null, "news@brand.test", "bad0@example.com");
        sink.awaitMessages(5, WAIT);
        EventLog.of(server).await(bounced, "Bounce", WAIT);

        server.restart();

        SesV2Client after = server.ses(acme);
        Instant now = server.clock().instant();
        Instant yesterday = now.minus(Duration.ofDays(1));
        BatchGetMetricDataResponse response = after.batchGetMetricData(r -> r.queries(
                query("sent", Metric.SEND, Map.of(), yesterday, now),
                query("google", Metric.DELIVERY, Map.of(MetricDimensionName.ISP, "google"), yesterday, now),
                query(
                        "brand",
                        Metric.PERMANENT_BOUNCE,
                        Map.of(MetricDimensionName.EMAIL_IDENTITY, "brand.test"),
                        yesterday,
                        now),
                query(
                        "marketing",
                        Metric.SEND,
                        Map.of(MetricDimensionName.CONFIGURATION_SET, "marketing"),
                        yesterday,
                        now),
                query(
                        "other-to-example",
                        Metric.DELIVERY,
                        Map.of(MetricDimensionName.EMAIL_IDENTITY, "other.test", MetricDimensionName.ISP, "other"),
                        yesterday,
                        now),
                query("opens", Metric.OPEN, Map.of(), yesterday, now)));

        assertThat(response.errors()).isEmpty();
        Map<String, MetricDataResult> results =
                response.results().stream().collect(Collectors.toMap(MetricDataResult::id, Function.identity()));
        Instant today = now.truncatedTo(ChronoUnit.DAYS);
        assertThat(results.get("sent").timestamps()).containsExactly(today.minus(Duration.ofDays(1)), today);
        assertThat(results.get("sent").values()).containsExactly(0L, 6L);
        assertThat(results.get("google").values()).containsExactly(0L, 3L);
        assertThat(results.get("brand").values()).containsExactly(0L, 1L);
        assertThat(results.get("marketing").values()).containsExactly(0L, 3L);
        assertThat(results.get("other-to-example").values()).containsExactly(0L, 2L);
        assertThat(results.get("opens").values()).containsExactly(0L, 0L);
    }

    private static BatchGetMetricDataQuery query(
            String id, Metric metric, Map<MetricDimensionName, String> dimensions, Instant start, Instant end) {
        BatchGetMetricDataQuery.Builder q = BatchGetMetricDataQuery.builder()
                .id(id)
                .namespace(MetricNamespace.VDM)
                .metric(metric)
                .startDate(start)
                .endDate(end);
        if (!dimensions.isEmpty()) {
            q.dimensions(dimensions);
        }
        return q.build();
    }

    private String sharedPoolStatus(String account) {
        for (JsonNode a : server.admin().ok("GET", "/reputation", null).path("Accounts")) {
            if (a.path("Name").asText().equals(account)) {
                return a.path("SharedPool").path("Status").asText();
            }
        }
        return "";
    }

    private Map<String, ReceivedMessage> awaitRecipients(String... recipients) {
        await().atMost(WAIT)
                .until(() -> sink.messages().stream()
                        .flatMap(m -> m.recipients().stream())
                        .toList()
                        .containsAll(List.of(recipients)));
        return sink.messages().stream()
                .filter(m -> List.of(recipients).contains(m.recipients().getFirst()))
                .collect(Collectors.toMap(m -> m.recipients().getFirst(), Function.identity(), (a, b) -> a));
    }

    private static String send(SesV2Client ses, String set, String from, String to) {
        return ses.sendEmail(r -> {
                    r.fromEmailAddress(from)
                            .destination(d -> d.toAddresses(to))
                            .content(c -> c.simple(
                                    s -> s.subject(x -> x.data("hello")).body(b -> b.text(t -> t.data("body")))));
                    if (set != null) {
                        r.configurationSetName(set);
                    }
                })
                .messageId();
    }
}
