package io.poolmta.advisor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.sim.ProviderProfile;
import io.poolmta.sim.ProviderSimulator;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * Three simulated weeks of mail through the delivery path to the provider simulator, on the test
 * clock, with the advisor's window set to 7 days and small thresholds: one burst then silence →
 * the shared pool; a steady week → dedicated; a week where one configuration set bounces 20 % →
 * isolate it; and an IP that stops sending to a provider is cooling for it.
 */
class AdvisorOverWeeksTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String IP = "127.0.0.71";
    private static final String QUERY =
            "/advisor?Account=acme&Days=7&DailyThreshold=20&MinDailyVolume=15&MinSetVolume=10";

    @TempDir
    Path dir;

    TestServer server;
    ProviderSimulator provider;
    SesV2Client ses;
    long finished;

    @BeforeEach
    void setUp() throws Exception {
        server = TestServer.start(dir, new MutableClock(Instant.parse("2026-03-02T10:00:00Z")));
        provider = ProviderSimulator.onLoopback(ProviderProfile.lenient(), server.clock());
        server.route("gmail.com", provider.hostPort());
        server.route("outlook.com", provider.hostPort());
        TestAccount acme = server.createAccount("acme");
        ses = server.ses(acme);
        ses.putAccountDedicatedIpWarmupAttributes(r -> r.autoWarmupEnabled(false));
        server.leaseIps(acme, IP);
        ses.createConfigurationSet(r -> r.configurationSetName("transactional"));
        ses.createConfigurationSet(r -> r.configurationSetName("marketing"));
    }

    @AfterEach
    void tearDown() {
        server.close();
        provider.close();
    }

    @Test
    void recommendationsFollowTheVolumePattern() {
        // week 1: one burst of 30 to Gmail, then six silent days
        send(null, recipients("a", "gmail.com", 30, 0));
        nextDay();
        for (int d = 1; d < 7; d++) {
            nextDay();
        }
        JsonNode week1 = advice();
        assertThat(week1.path("Recommendation").asText()).isEqualTo("SHARED_POOL");
        assertThat(week1.at("/Volume/Total").asLong()).isEqualTo(30);
        assertThat(week1.at("/Volume/MaxPerDay").asLong()).isEqualTo(30);
        assertThat(week1.at("/Volume/CoefficientOfVariation").asDouble()).isGreaterThan(0.5);
        assertThat(week1.path("DailyVolumes")).hasSize(7);
        assertThat(reasons(week1))
                .anySatisfy(r -> assertThat(r).startsWith("low volume: 4.3 a day on average, below 15"))
                .anySatisfy(r -> assertThat(r).startsWith("irregular volume: coefficient of variation 2.45"));
        assertThat(ipProvider(week1, "google").path("Status").asText()).isEqualTo("ACTIVE");
        JsonNode microsoft = ipProvider(week1, "microsoft");
        assertThat(microsoft.path("Status").asText()).isEqualTo("COOLING");
        assertThat(microsoft.path("Reason").asText())
                .isEqualTo("127.0.0.71 is cooling for microsoft: at most 0 in one day in the last 7 days and today"
                        + " (0 in all on 0 day(s)), never the 20 a day a provider needs at least once a month to"
                        + " keep its reputation");

        // week 2: 20 to Gmail and 20 to Outlook every day
        for (int d = 0; d < 7; d++) {
            send(null, recipients("g" + d + "-", "gmail.com", 20, 0));
            send(null, recipients("o" + d + "-", "outlook.com", 20, 0));
            nextDay();
        }
        JsonNode week2 = advice();
        assertThat(week2.path("Recommendation").asText()).isEqualTo("DEDICATED");
        assertThat(week2.at("/Volume/MeanPerDay").asDouble()).isEqualTo(40.0);
        assertThat(week2.at("/Volume/CoefficientOfVariation").asDouble()).isZero();
        assertThat(week2.at("/IpPlan/Suggested").asInt()).isEqualTo(1);
        assertThat(week2.at("/IpPlan/KeptWarmAtMost").asInt()).isEqualTo(2);
        assertThat(week2.at("/IpPlan/FinalDailyCap").asLong()).isEqualTo(50_000);
        assertThat(week2.at("/IpPlan/WarmupDaysToCarryMeanDay").asInt()).isEqualTo(1);
        assertThat(ipProvider(week2, "microsoft").path("Status").asText()).isEqualTo("ACTIVE");
        assertThat(ipProvider(week2, "microsoft").path("DaysAtThreshold").asInt())
                .isEqualTo(7);

        // week 3: transactional mail is clean, marketing bounces 2 of 10 a day; nothing to Outlook
        for (int d = 0; d < 7; d++) {
            send("transactional", recipients("t" + d + "-", "gmail.com", 20, 0));
            send("marketing", recipients("m" + d + "-", "gmail.com", 10, 2));
            nextDay();
        }
        JsonNode week3 = advice();
        assertThat(week3.path("Recommendation").asText()).isEqualTo("DEDICATED");
        JsonNode marketing = set(week3, "marketing");
        assertThat(marketing.path("Isolate").asBoolean()).isTrue();
        assertThat(marketing.path("Sent").asLong()).isEqualTo(70);
        assertThat(marketing.path("Bounced").asLong()).isEqualTo(14);
        assertThat(marketing.path("Reason").asText())
                .startsWith("isolate by email type: configuration set marketing has a bounce rate of 20.00% (14 of"
                        + " 70)")
                .contains("against 0.00% (0 of 140)")
                .contains("it shares pool ses-default-dedicated-pool with transactional");
        assertThat(set(week3, "transactional").path("Isolate").asBoolean()).isFalse();
        assertThat(reasons(week3)).anySatisfy(r -> assertThat(r).startsWith("isolate by email type"));
        assertThat(ipProvider(week3, "microsoft").path("Status").asText())
                .as("a week without Outlook mail")
                .isEqualTo("COOLING");
    }

    private JsonNode advice() {
        JsonNode report = server.admin().ok("GET", QUERY, null);
        assertThat(report.path("Accounts")).hasSize(1);
        return report.path("Accounts").get(0);
    }

    private static List<String> reasons(JsonNode account) {
        return StreamSupport.stream(account.path("Reasons").spliterator(), false)
                .map(JsonNode::asText)
                .toList();
    }

    private static JsonNode ipProvider(JsonNode account, String provider) {
        return StreamSupport.stream(account.path("IpProviders").spliterator(), false)
                .filter(r -> r.path("Ip").asText().equals(IP)
                        && r.path("Provider").asText().equals(provider))
                .findFirst()
                .orElseThrow();
    }

    private static JsonNode set(JsonNode account, String name) {
        return StreamSupport.stream(account.path("ConfigurationSets").spliterator(), false)
                .filter(r -> r.path("Name").asText().equals(name))
                .findFirst()
                .orElseThrow();
    }

    /** {@code count} recipients at {@code domain}, the first {@code unknown} of them unknown users (550 5.1.1). */
    private static List<String> recipients(String prefix, String domain, int count, int unknown) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add((i < unknown ? "unknown-" : "") + prefix + i + "@" + domain);
        }
        return out;
    }

    /** Sends one message to the recipients and waits until each has a final outcome. */
    private void send(String configurationSet, List<String> to) {
        ses.sendEmail(r -> r.fromEmailAddress("mail@acme.test")
                .configurationSetName(configurationSet)
                .destination(d -> d.toAddresses(to))
                .content(c -> c.simple(s -> s.subject(x -> x.data("hello")).body(b -> b.text(x -> x.data("b"))))));
        finished += to.size();
        await().atMost(WAIT)
                .until(() -> server.server().delivery().delivered()
                                + server.server().delivery().bounced()
                        == finished);
    }

    private void nextDay() {
        server.clock().advance(Duration.ofDays(1));
    }
}
