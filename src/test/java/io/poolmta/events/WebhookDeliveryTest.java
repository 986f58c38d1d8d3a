package io.poolmta.events;

import static io.poolmta.testing.SesErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.poolmta.server.ServerConfig;
import io.poolmta.testing.EventLog;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import io.poolmta.testing.WebhookReceiver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.EventDestinationDefinition;
import software.amazon.awssdk.services.sesv2.model.EventType;

/**
 * Webhook delivery through the real path (the AWS SDK, SMTP delivery to a loopback sink, a real
 * HTTP endpoint on loopback): internal destinations refused when configured and when connecting,
 * events kept across a restart while the endpoint is down, a failing event dead-lettered after
 * the maximum age without holding up later ones, and dead letters replayed by the operator.
 */
class WebhookDeliveryTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SET = "notices";
    private static final String IP = "127.0.0.11";
    private static final String HOOK_HOST = "127.0.0.1";

    @TempDir
    Path dir;

    TestServer server;
    ScriptedSmtpServer sink = ScriptedSmtpServer.acceptingAll();
    TestAccount acme;
    SesV2Client ses;
    WebhookReceiver receiver;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        sink.close();
        if (receiver != null) {
            receiver.close();
        }
    }

    // ---- addresses ----

    @Test
    void internalWebhookUrlsAreRefusedWhenCreatedOrUpdated() {
        boot(config -> config.withWebhooks(WebhookSettings.defaults()), MutableClock.startingNow());
        List<String> internal = List.of(
                "http://169.254.169.254/latest/meta-data/",
                "http://metadata.google.internal/",
                "http://10.0.0.1/hook",
                "http://192.168.1.10/hook",
                "http://[fd00::1]/hook",
                "http://0.0.0.0:8580/",
                "http://[::ffff:169.254.169.254]/",
                "http://2852039166/",
                "http://0xa9fea9fe/",
                "http://127.0.0.1:8580/",
                "http://127.1/",
                "http://[::1]/",
                "http://100.64.0.1/",
                "http://[fe80::1]/",
                "http://224.0.0.1/");
        for (String url : internal) {
            var error = expectError(() -> create("hook", url), BadRequestException.class, 400);
            assertThat(error.awsErrorDetails().errorMessage())
                    .as(url)
                    .contains("refused")
                    .contains("webhookAllowList");
        }
        var metadata = expectError(() -> create("hook", "http://0xa9fea9fe/"), BadRequestException.class, 400);
        assertThat(metadata.awsErrorDetails().errorMessage())
                .contains("169.254.169.254")
                .contains("metadata");

        // a public address is fine (no event is sent in this test), and cannot be changed to an internal one
        create("hook", "https://93.184.216.34/hook");
        var updated = expectError(
                () -> ses.updateConfigurationSetEventDestination(r -> r.configurationSetName(SET)
                        .eventDestinationName("hook")
                        .eventDestination(webhook("http://[::ffff:10.1.1.1]/"))),
                BadRequestException.class,
                400);
        assertThat(updated.awsErrorDetails().errorMessage())
                .contains("10.1.1.1")
                .contains("private");
        assertThat(ses.getConfigurationSetEventDestinations(r -> r.configurationSetName(SET))
                        .eventDestinations())
                .singleElement()
                .satisfies(d -> assertThat(d.snsDestination().topicArn()).isEqualTo("https://93.184.216.34/hook"));
    }

    @Test
    void aDestinationNoLongerAllowedIsRefusedAtConnectionTime() {
        MutableClock clock = MutableClock.startingNow();
        boot(config -> config, clock); // loopback allow-listed
        receiver = WebhookReceiver.start(HOOK_HOST);
        create("hook", receiver.url());
        String first = send("a@example.com");
        await().atMost(WAIT).until(() -> receiver.count(first, "Delivery") == 1);
        server.close();

        // the operator takes loopback off the allow-list: the stored destination is refused at connection time
        server = TestServer.startConfigured(dir, clock, config -> config.withWebhooks(WebhookSettings.defaults()));
        ses = server.ses(acme);
        int before = receiver.requests();
        String second = send("b@example.com");

        await().atMost(WAIT).until(() -> webhookStatus().path("DeadLettered").asLong() == 2);
        assertThat(receiver.requests())
                .as("requests reaching the endpoint after the allow-list changed")
                .isEqualTo(before);
        List<JsonNode> dead = deadLetters("hook");
        assertThat(dead).extracting(d -> d.at("/event/mail/messageId").asText()).containsOnly(second);
        assertThat(dead)
                .allSatisfy(d -> assertThat(d.path("reason").asText())
                        .contains("refused")
                        .contains("loopback"));
    }

    // ---- durability ----

    @Test
    void eventsPendingForADownEndpointArriveAfterARestart() {
        boot(config -> config, MutableClock.startingNow());
        int port = WebhookReceiver.freePort(HOOK_HOST); // nothing listens there: the endpoint is down
        create("hook", WebhookReceiver.url(HOOK_HOST, port));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(send("user" + i + "@example.com"));
        }
        EventLog log = EventLog.of(server);
        for (String id : ids) {
            log.await(id, "Delivery", WAIT);
        }
        await().atMost(WAIT).until(() -> webhookStatus().path("Pending").asLong() == 6);

        server.restart(); // a clean stop (as on SIGTERM) and a new server on the same data directory
        assertThat(webhookStatus().path("Pending").asLong())
                .as("pending after the restart")
                .isEqualTo(6);
        receiver = WebhookReceiver.startOn(HOOK_HOST, port); // the endpoint comes back

        await().atMost(WAIT)
                .until(() -> ids.stream()
                        .allMatch(id -> receiver.count(id, "Send") >= 1 && receiver.count(id, "Delivery") >= 1));
        await().atMost(WAIT).until(() -> webhookStatus().path("Pending").asLong() == 0);
        assertThat(receiver.events()).hasSize(6); // a clean stop saved the position: nothing twice
        assertThat(receiver.hostHeaders()).containsOnly(HOOK_HOST + ":" + port);
    }

    // ---- dead letters ----

    @Test
    void anEventFailingBeyondTheMaximumAgeIsDeadLetteredAndReplayed() {
        MutableClock clock = MutableClock.startingNow();
        boot(config -> config, clock);
        receiver = WebhookReceiver.start(HOOK_HOST);
        receiver.refuseWhen(e -> true);
        create("hook", receiver.url());
        String first = send("a@example.com");
        EventLog.of(server).await(first, "Delivery", WAIT);
        await().atMost(WAIT).until(() -> receiver.refused() >= 2);
        assertThat(webhookStatus().path("Pending").asLong()).isEqualTo(2);
        assertThat(webhookStatus().path("DeadLettered").asLong()).isZero();

        clock.advance(WebhookSettings.DEFAULT_MAX_AGE.plusMinutes(1));

        await().atMost(WAIT).until(() -> webhookStatus().path("DeadLettered").asLong() == 2);
        JsonNode status = webhookStatus();
        assertThat(status.path("Pending").asLong()).isZero();
        assertThat(status.at("/Destinations/0/Destination").asText()).isEqualTo("hook");
        assertThat(status.at("/Destinations/0/LastError").asText()).contains("HTTP 500");
        List<JsonNode> dead = deadLetters("hook");
        assertThat(dead).extracting(d -> d.at("/event/eventType").asText()).containsExactly("Send", "Delivery");
        assertThat(dead).allSatisfy(d -> {
            assertThat(d.at("/event/mail/messageId").asText()).isEqualTo(first);
            assertThat(d.path("reason").asText()).contains("HTTP 500").contains("gave up");
            assertThat(d.path("url").asText()).isEqualTo(receiver.url());
        });
        // the dead-lettered event is the one the server logged
        assertThat(dead.getFirst().path("event"))
                .isEqualTo(EventLog.of(server).of(first, "Send").getFirst());

        // the endpoint recovers: new events flow at once, the dead letters wait for the operator
        receiver.refuseWhen(e -> false);
        String second = send("b@example.com");
        await().atMost(WAIT).until(() -> receiver.count(second, "Delivery") == 1);
        assertThat(receiver.count(first, "Send")).isZero();

        JsonNode replay = server.admin()
                .ok(
                        "POST",
                        "/events/webhooks/dead-letter/replay",
                        "{\"Account\":\"acme\",\"ConfigurationSet\":\"" + SET + "\",\"Destination\":\"hook\"}");

        assertThat(replay.path("Replayed").asLong()).isEqualTo(2);
        await().atMost(WAIT).until(() -> receiver.count(first, "Send") == 1 && receiver.count(first, "Delivery") == 1);
        await().atMost(WAIT).until(() -> webhookStatus().path("Pending").asLong() == 0);
        assertThat(webhookStatus().path("DeadLettered").asLong()).isZero();
        assertThat(deadLetterFile("hook")).doesNotExist();
    }

    @Test
    void oneFailingEventDoesNotHoldUpTheLaterOnesForever() {
        MutableClock clock = MutableClock.startingNow();
        boot(config -> config, clock);
        receiver = WebhookReceiver.start(HOOK_HOST);
        create("hook", receiver.url());
        // the endpoint chokes on one event only
        receiver.refuseWhen(
                e -> e.path("mail").path("destination").path(0).asText().equals("poison@example.com")
                        && e.path("eventType").asText().equals("Send"));
        String bad = send("poison@example.com");
        String good = send("fine@example.com");
        EventLog.of(server).await(good, "Delivery", WAIT);
        await().atMost(WAIT).until(() -> receiver.refused() >= 2);
        assertThat(receiver.count(good, "Send"))
                .as("later events wait behind the failing one")
                .isZero();

        clock.advance(WebhookSettings.DEFAULT_MAX_AGE);

        await().atMost(WAIT)
                .until(() -> receiver.count(good, "Send") == 1
                        && receiver.count(good, "Delivery") == 1
                        && receiver.count(bad, "Delivery") == 1);
        assertThat(deadLetters("hook"))
                .extracting(d -> d.at("/event/eventType").asText() + " "
                        + d.at("/event/mail/messageId").asText())
                .containsExactly("Send " + bad);
        assertThat(webhookStatus().path("DeadLettered").asLong()).isEqualTo(1);
    }

    // ---- helpers ----

    private void boot(UnaryOperator<ServerConfig> configure, MutableClock clock) {
        server = TestServer.startConfigured(dir, clock, configure);
        server.route("example.com", sink.nextHop().toString());
        acme = server.createAccount("acme");
        server.leaseIps(acme, IP);
        ses = server.ses(acme);
        ses.createConfigurationSet(r -> r.configurationSetName(SET));
    }

    private JsonNode webhookStatus() {
        return server.admin().ok("GET", "/events/webhooks", null);
    }

    private Path deadLetterFile(String destination) {
        return dir.resolve("events")
                .resolve("dead-letter")
                .resolve(acme.accountId())
                .resolve(SET)
                .resolve(destination + ".jsonl");
    }

    private List<JsonNode> deadLetters(String destination) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(deadLetterFile(destination))) {
                out.add(JSON.readTree(line));
            }
            return out;
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private void create(String name, String url) {
        ses.createConfigurationSetEventDestination(
                r -> r.configurationSetName(SET).eventDestinationName(name).eventDestination(webhook(url)));
    }

    private static EventDestinationDefinition webhook(String url) {
        return EventDestinationDefinition.builder()
                .enabled(true)
                .matchingEventTypes(EventType.SEND, EventType.DELIVERY)
                .snsDestination(s -> s.topicArn(url))
                .build();
    }

    private String send(String to) {
        return ses.sendEmail(r -> r.fromEmailAddress("sender@acme.test")
                        .destination(d -> d.toAddresses(to))
                        .configurationSetName(SET)
                        .content(c ->
                                c.simple(s -> s.subject(x -> x.data("hello")).body(b -> b.text(t -> t.data("body"))))))
                .messageId();
    }
}
