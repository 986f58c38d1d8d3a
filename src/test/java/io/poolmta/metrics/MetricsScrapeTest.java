package io.poolmta.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.poolmta.sim.ProviderProfile;
import io.poolmta.sim.ProviderSimulator;
import io.poolmta.testing.PrometheusText;
import io.poolmta.testing.PrometheusText.Family;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * GET /metrics over real HTTP, parsed with a strict text-format parser: after mail to a Gmail-like
 * simulator (two delivered, one unknown user bounced) the counters carry pool, IP and provider,
 * the throttle, warm-up and enforcement gauges are there, and only the operator may scrape.
 */
class MetricsScrapeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String IP = "127.0.0.61";
    private static final String POOL = "ses-default-dedicated-pool";

    @TempDir
    Path dir;

    TestServer server;
    ProviderSimulator gmail;
    SesV2Client ses;

    @BeforeEach
    void setUp() throws Exception {
        server = TestServer.start(dir);
        gmail = ProviderSimulator.onLoopback(ProviderProfile.lenient(), server.clock());
        server.route("gmail.com", gmail.hostPort());
        TestAccount acme = server.createAccount("acme");
        server.leaseIps(acme, IP);
        ses = server.ses(acme);
    }

    @AfterEach
    void tearDown() {
        server.close();
        gmail.close();
    }

    @Test
    void scrapeShowsTrafficThrottleWarmupAndEnforcement() throws Exception {
        ses.sendEmail(r -> r.fromEmailAddress("news@acme.test")
                .destination(d -> d.toAddresses("ann@gmail.com", "bob@gmail.com", "unknown-carl@gmail.com"))
                .content(c -> c.simple(s -> s.subject(x -> x.data("hi")).body(b -> b.text(x -> x.data("b"))))));
        await().atMost(WAIT)
                .until(() -> server.server().delivery().delivered() == 2
                        && server.server().delivery().bounced() == 1);

        HttpResponse<String> response = scrape(server.operatorToken(), "text/plain");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("text/plain; version=0.0.4");
        Map<String, Family> metrics = PrometheusText.parse(response.body());

        assertThat(metrics.get("poolmta_recipients_accepted_total").type()).isEqualTo("counter");
        assertThat(metrics.get("poolmta_recipients_accepted_total").value("pool", POOL, "ip", "", "provider", "google"))
                .contains(3.0);
        assertThat(metrics.get("poolmta_recipients_delivered_total")
                        .value("pool", POOL, "ip", IP, "provider", "google"))
                .contains(2.0);
        assertThat(metrics.get("poolmta_recipients_bounced_total")
                        .value("pool", POOL, "ip", IP, "provider", "google", "type", "Permanent"))
                .contains(1.0);
        assertThat(metrics)
                .as("nothing deferred: a family without samples is left out")
                .doesNotContainKey("poolmta_recipients_deferred_total");
        assertThat(metrics.get("poolmta_queue_depth").value()).contains(0.0);
        assertThat(metrics.get("poolmta_spool_messages").value()).contains(0.0);
        assertThat(metrics.get("poolmta_spool_bytes").value())
                .hasValueSatisfying(v -> assertThat(v).isPositive());
        assertThat(metrics.get("poolmta_throttle_connection_limit").value("ip", IP, "provider", "google", "site", ""))
                .contains(4.0);
        assertThat(metrics.get("poolmta_throttle_paused_seconds").value("ip", IP, "provider", "google", "site", ""))
                .contains(0.0);
        assertThat(metrics.get("poolmta_throttles_total").value("ip", IP, "provider", "google", "site", ""))
                .contains(0.0);
        // a new standard IP: day 1 of the plan, cap 200, three recipients' message counted once per domain
        assertThat(metrics.get("poolmta_warmup_percent").value("ip", IP, "account", "acme", "pool", POOL))
                .contains(0.0);
        assertThat(metrics.get("poolmta_warmup_daily_cap").value("ip", IP, "account", "acme", "pool", POOL))
                .contains(200.0);
        assertThat(metrics.get("poolmta_warmup_sent_today").value("ip", IP, "account", "acme", "pool", POOL))
                .contains(1.0);
        assertThat(metrics.get("poolmta_account_enforcement").value("account", "acme", "status", "HEALTHY"))
                .contains(1.0);
        assertThat(metrics.get("poolmta_account_enforcement").value("account", "acme", "status", "SHUTDOWN"))
                .contains(0.0);
    }

    @Test
    void openMetricsWhenTheScraperAsksForIt() throws Exception {
        HttpResponse<String> response = scrape(server.operatorToken(), "application/openmetrics-text; version=1.0.0");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type").orElse("")).startsWith("application/openmetrics-text");
        assertThat(response.body()).contains("# TYPE poolmta_queue_depth gauge").endsWith("# EOF\n");
    }

    @Test
    void onlyTheOperatorMayScrape() throws Exception {
        assertThat(scrape(null, "text/plain").statusCode()).isEqualTo(403);
        assertThat(scrape("not-the-token", "text/plain").statusCode()).isEqualTo(403);
    }

    private HttpResponse<String> scrape(String token, String accept) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(server.url() + "/metrics"))
                .timeout(Duration.ofSeconds(10))
                .header("Accept", accept);
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        try (HttpClient client = HttpClient.newHttpClient()) {
            return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
        }
    }
}
