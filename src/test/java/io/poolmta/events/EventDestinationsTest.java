package io.poolmta.events;

import static io.poolmta.testing.SesErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.poolmta.testing.EventLog;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AlreadyExistsException;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.DimensionValueSource;
import software.amazon.awssdk.services.sesv2.model.EventDestination;
import software.amazon.awssdk.services.sesv2.model.EventDestinationDefinition;
import software.amazon.awssdk.services.sesv2.model.EventType;
import software.amazon.awssdk.services.sesv2.model.LimitExceededException;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;

/**
 * A configuration set's event destinations, managed through the AWS SDK and fed by real mail: a
 * JSON-lines file destination and an HTTP webhook (a JDK HttpServer in the test) that is down for
 * a while. Events are SES event-publishing JSON with PoolMTA's tags.
 */
class EventDestinationsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SET = "newsletters";
    private static final String IP = "127.0.0.11";
    private static final String FIREHOSE_ROLE = "arn:aws:iam::123456789012:role/firehose";

    @TempDir
    Path dir;

    TestServer server;
    ScriptedSmtpServer sink;
    TestAccount acme;
    SesV2Client ses;
    HttpServer webhook;

    @BeforeEach
    void setUp() {
        server = TestServer.start(dir);
        sink = ScriptedSmtpServer.acceptingAll();
        server.route("example.com", sink.nextHop().toString());
        acme = server.createAccount("acme");
        server.leaseIps(acme, IP);
        ses = server.ses(acme);
        ses.createDedicatedIpPool(r -> r.poolName("news"));
        ses.putDedicatedIpInPool(r -> r.ip(IP).destinationPoolName("news"));
        ses.createConfigurationSet(r -> r.configurationSetName(SET).deliveryOptions(d -> d.sendingPoolName("news")));
    }

    @AfterEach
    void tearDown() {
        server.close();
        sink.close();
        if (webhook != null) {
            webhook.stop(0);
        }
    }

    // ---- CRUD through the SDK ----

    @Test
    void createGetUpdateDeleteThroughTheSdk() {
        create("hook", webhookTo("http://127.0.0.1:9/events", true, EventType.SEND, EventType.DELIVERY));
        create("audit", fileNamed("audit", true, EventType.BOUNCE));

        List<EventDestination> listed = list();
        assertThat(listed).extracting(EventDestination::name).containsExactlyInAnyOrder("hook", "audit");
        EventDestination hook = byName(listed, "hook");
        assertThat(hook.enabled()).isTrue();
        assertThat(hook.matchingEventTypes()).containsExactlyInAnyOrder(EventType.SEND, EventType.DELIVERY);
        assertThat(hook.snsDestination().topicArn()).isEqualTo("http://127.0.0.1:9/events");
        assertThat(hook.kinesisFirehoseDestination()).isNull();
        EventDestination audit = byName(listed, "audit");
        assertThat(audit.kinesisFirehoseDestination().deliveryStreamArn()).isEqualTo("file:audit");
        assertThat(audit.matchingEventTypes()).containsExactly(EventType.BOUNCE);
        assertThat(audit.snsDestination()).isNull();

        ses.updateConfigurationSetEventDestination(r -> r.configurationSetName(SET)
                .eventDestinationName("hook")
                .eventDestination(fileNamed("hook-file", false, EventType.DELIVERY_DELAY, EventType.BOUNCE)));

        EventDestination updated = byName(list(), "hook");
        assertThat(updated.enabled()).isFalse();
        assertThat(updated.matchingEventTypes()).containsExactlyInAnyOrder(EventType.DELIVERY_DELAY, EventType.BOUNCE);
        assertThat(updated.kinesisFirehoseDestination().deliveryStreamArn()).isEqualTo("file:hook-file");
        assertThat(updated.snsDestination()).isNull();
        assertThat(byName(list(), "audit").matchingEventTypes()).containsExactly(EventType.BOUNCE);

        ses.deleteConfigurationSetEventDestination(
                r -> r.configurationSetName(SET).eventDestinationName("hook"));

        assertThat(list()).extracting(EventDestination::name).containsExactly("audit");
        expectError(
                () -> ses.deleteConfigurationSetEventDestination(
                        r -> r.configurationSetName(SET).eventDestinationName("hook")),
                NotFoundException.class,
                404);
        expectError(
                () -> ses.updateConfigurationSetEventDestination(r -> r.configurationSetName(SET)
                        .eventDestinationName("hook")
                        .eventDestination(fileNamed("x", true, EventType.SEND))),
                NotFoundException.class,
                404);
    }

    @Test
    void anUnknownConfigurationSetIsNotFound() {
        EventDestinationDefinition definition = fileNamed("audit", true, EventType.SEND);

        var created = expectError(
                () -> ses.createConfigurationSetEventDestination(r -> r.configurationSetName("ghost")
                        .eventDestinationName("audit")
                        .eventDestination(definition)),
                NotFoundException.class,
                404);
        expectError(
                () -> ses.getConfigurationSetEventDestinations(r -> r.configurationSetName("ghost")),
                NotFoundException.class,
                404);
        expectError(
                () -> ses.updateConfigurationSetEventDestination(r -> r.configurationSetName("ghost")
                        .eventDestinationName("audit")
                        .eventDestination(definition)),
                NotFoundException.class,
                404);
        expectError(
                () -> ses.deleteConfigurationSetEventDestination(
                        r -> r.configurationSetName("ghost").eventDestinationName("audit")),
                NotFoundException.class,
                404);

        assertThat(created.awsErrorDetails().errorMessage()).contains("ghost");
    }

    @Test
    void aDuplicateNameAlreadyExists() {
        create("audit", fileNamed("audit", true, EventType.SEND));

        expectError(
                () -> create("audit", webhookTo("http://127.0.0.1:9/x", true, EventType.DELIVERY)),
                AlreadyExistsException.class,
                400);

        EventDestination kept = byName(list(), "audit");
        assertThat(kept.kinesisFirehoseDestination().deliveryStreamArn()).isEqualTo("file:audit");
        assertThat(kept.matchingEventTypes()).containsExactly(EventType.SEND);
    }

    @Test
    void unsupportedDestinationKindsAreBadRequestsThatSayWhatIsSupported() {
        List<EventDestinationDefinition> unsupported = List.of(
                EventDestinationDefinition.builder()
                        .enabled(true)
                        .matchingEventTypes(EventType.SEND)
                        .cloudWatchDestination(c -> c.dimensionConfigurations(d -> d.dimensionName("set")
                                .dimensionValueSource(DimensionValueSource.MESSAGE_TAG)
                                .defaultDimensionValue("none")))
                        .build(),
                EventDestinationDefinition.builder()
                        .enabled(true)
                        .matchingEventTypes(EventType.SEND)
                        .eventBridgeDestination(
                                e -> e.eventBusArn("arn:aws:events:us-east-1:123456789012:event-bus/default"))
                        .build(),
                EventDestinationDefinition.builder()
                        .enabled(true)
                        .matchingEventTypes(EventType.SEND)
                        .pinpointDestination(
                                p -> p.applicationArn("arn:aws:mobiletargeting:us-east-1:123456789012:apps/x"))
                        .build(),
                EventDestinationDefinition.builder()
                        .enabled(true)
                        .matchingEventTypes(EventType.SEND)
                        .kinesisFirehoseDestination(f -> f.iamRoleArn(FIREHOSE_ROLE)
                                .deliveryStreamArn("arn:aws:firehose:us-east-1:123456789012:deliverystream/events"))
                        .build(),
                webhookTo("arn:aws:sns:us-east-1:123456789012:events", true, EventType.SEND));

        for (EventDestinationDefinition definition : unsupported) {
            var error = expectError(() -> create("nope", definition), BadRequestException.class, 400);
            assertThat(error.awsErrorDetails().errorMessage())
                    .as("message for %s", definition)
                    .contains("SnsDestination.TopicArn")
                    .contains("http")
                    .contains("file:NAME");
        }
        assertThat(list()).isEmpty();
    }

    @Test
    void moreThanTenDestinationsExceedTheLimit() {
        for (int i = 1; i <= 10; i++) {
            create("d" + i, fileNamed("f" + i, true, EventType.SEND));
        }

        var error = expectError(
                () -> create("d11", fileNamed("f11", true, EventType.SEND)), LimitExceededException.class, 400);

        assertThat(error.awsErrorDetails().errorMessage()).contains("10");
        assertThat(list()).hasSize(10).extracting(EventDestination::name).doesNotContain("d11");
    }

    @Test
    void deletingTheConfigurationSetRemovesItsDestinations() {
        create("audit", fileNamed("audit", true, EventType.SEND));
        create("hook", webhookTo("http://127.0.0.1:9/x", true, EventType.DELIVERY));

        ses.deleteConfigurationSet(r -> r.configurationSetName(SET));

        expectError(
                () -> ses.getConfigurationSetEventDestinations(r -> r.configurationSetName(SET)),
                NotFoundException.class,
                404);
        ses.createConfigurationSet(r -> r.configurationSetName(SET));
        assertThat(list()).isEmpty();
        create("audit", fileNamed("audit", true, EventType.SEND));
        assertThat(list()).extracting(EventDestination::name).containsExactly("audit");
    }

    // ---- events reaching destinations ----

    @Test
    void aFileDestinationReceivesSendAndDeliveryEventsAsJsonLines() {
        create("audit", fileNamed("audit", true, EventType.SEND, EventType.DELIVERY));

        String id = send(SET, "to@example.com");

        EventLog file = fileDestination("audit");
        JsonNode delivery = file.await(id, "Delivery", WAIT);
        JsonNode sent = file.await(id, "Send", WAIT);
        assertThat(file.all()).hasSize(2);
        for (JsonNode event : List.of(sent, delivery)) {
            assertThat(event.at("/mail/messageId").asText()).isEqualTo(id);
            assertThat(event.at("/mail/sendingAccountId").asText()).isEqualTo(acme.accountId());
            assertThat(event.at("/mail/source").asText()).isEqualTo("sender@acme.test");
            assertThat(event.at("/mail/destination"))
                    .extracting(JsonNode::asText)
                    .containsExactly("to@example.com");
            assertThat(event.at("/mail/tags/ses:configuration-set"))
                    .extracting(JsonNode::asText)
                    .containsExactly(SET);
            assertThat(event.at("/mail/tags/poolmta:pool"))
                    .extracting(JsonNode::asText)
                    .containsExactly("news");
        }
        assertThat(sent.has("send")).isTrue();
        assertThat(delivery.at("/mail/tags/ses:outgoing-ip"))
                .extracting(JsonNode::asText)
                .containsExactly(IP);
        assertThat(delivery.at("/delivery/recipients"))
                .extracting(JsonNode::asText)
                .containsExactly("to@example.com");
        assertThat(delivery.at("/delivery/smtpResponse").asText()).startsWith("250");
        // the lines are the server's events, word for word
        EventLog serverLog = EventLog.of(server);
        assertThat(serverLog.await(id, "Delivery", WAIT)).isEqualTo(delivery);
        assertThat(serverLog.of(id, "Send")).containsExactly(sent);
    }

    @Test
    void matchingEventTypesFilterWhatADestinationReceives() {
        create("deliveries", fileNamed("deliveries", true, EventType.DELIVERY));

        String first = send(SET, "a@example.com");
        String second = send(SET, "b@example.com");

        EventLog file = fileDestination("deliveries");
        file.await(first, "Delivery", WAIT);
        file.await(second, "Delivery", WAIT);
        // Send is published before the API answers, so any Send line would be there by now
        assertThat(file.all())
                .hasSize(2)
                .allSatisfy(e -> assertThat(e.path("eventType").asText()).isEqualTo("Delivery"));
        assertThat(EventLog.of(server).of(first, "Send")).hasSize(1);
    }

    @Test
    void aDisabledDestinationReceivesNothing() {
        create("off", fileNamed("off", false, EventType.SEND, EventType.DELIVERY));
        create("witness", fileNamed("witness", true, EventType.SEND, EventType.DELIVERY));

        String id = send(SET, "to@example.com");

        fileDestination("witness").await(id, "Delivery", WAIT);
        Path off = destinationFile("off");
        await().during(Duration.ofMillis(300)).atMost(Duration.ofSeconds(2)).until(() -> !Files.exists(off));
        assertThat(fileDestination("off").all()).isEmpty();
    }

    @Test
    void webhookDownThenUpLosesNoEvent() throws IOException {
        int failures = 4;
        Webhook hook = startWebhook(failures);
        create("hook", webhookTo(hook.url(), true, EventType.SEND, EventType.DELIVERY));

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(send(SET, "user" + i + "@example.com"));
        }
        sink.awaitMessages(ids.size(), WAIT);

        int expected = ids.size() * 2;
        await().atMost(Duration.ofSeconds(20)).until(() -> hook.accepted().size() >= expected);
        // and no event comes twice: nothing more arrives once all of them are in
        await().during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(3))
                .until(() -> hook.accepted().size() == expected);

        assertThat(hook.refused()).as("POSTs answered 500").hasValue(failures);
        List<JsonNode> events =
                hook.accepted().stream().map(EventDestinationsTest::parse).toList();
        Map<String, Long> perEvent = events.stream()
                .collect(Collectors.groupingBy(
                        e -> e.at("/mail/messageId").asText() + " "
                                + e.path("eventType").asText(),
                        Collectors.counting()));
        List<String> wanted = ids.stream()
                .flatMap(id -> List.of(id + " Send", id + " Delivery").stream())
                .toList();
        assertThat(perEvent.keySet()).containsExactlyInAnyOrderElementsOf(wanted);
        assertThat(perEvent.values()).containsOnly(1L);
        assertThat(hook.contentTypes()).containsOnly("application/json");
        for (JsonNode e : events) {
            assertThat(e.at("/mail/timestamp").asText()).isNotBlank();
            assertThat(e.at("/mail/sendingAccountId").asText()).isEqualTo(acme.accountId());
            assertThat(e.at("/mail/tags/ses:configuration-set/0").asText()).isEqualTo(SET);
            assertThat(e.at("/mail/tags/poolmta:pool/0").asText()).isEqualTo("news");
            if (e.path("eventType").asText().equals("Delivery")) {
                assertThat(e.at("/delivery/smtpResponse").asText()).startsWith("250");
                assertThat(e.at("/delivery/recipients").size()).isEqualTo(1);
                assertThat(e.at("/mail/tags/ses:outgoing-ip/0").asText()).isEqualTo(IP);
            } else {
                assertThat(e.path("send").isObject()).isTrue();
            }
        }
        // each event is the one the server logged
        EventLog serverLog = EventLog.of(server);
        for (JsonNode e : events) {
            assertThat(serverLog.of(
                            e.at("/mail/messageId").asText(),
                            e.path("eventType").asText()))
                    .containsExactly(e);
        }
    }

    // ---- helpers ----

    /** A webhook receiver that answers 500 to the first {@code failures} POSTs and 200 afterwards. */
    private record Webhook(String url, AtomicInteger refused, List<String> accepted, List<String> contentTypes) {}

    private Webhook startWebhook(int failures) throws IOException {
        webhook = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        webhook.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        AtomicInteger refused = new AtomicInteger();
        List<String> accepted = new CopyOnWriteArrayList<>();
        List<String> contentTypes = new CopyOnWriteArrayList<>();
        Object lock = new Object();
        webhook.createContext("/events", (HttpExchange exchange) -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                int status;
                synchronized (lock) {
                    if (!exchange.getRequestMethod().equals("POST")) {
                        status = 405;
                    } else if (refused.get() < failures) {
                        refused.incrementAndGet();
                        status = 500;
                    } else {
                        accepted.add(body);
                        contentTypes.add(exchange.getRequestHeaders().getFirst("Content-Type"));
                        status = 200;
                    }
                }
                exchange.sendResponseHeaders(status, -1);
            }
        });
        webhook.start();
        String url = "http://127.0.0.1:" + webhook.getAddress().getPort() + "/events";
        return new Webhook(url, refused, accepted, contentTypes);
    }

    private void create(String name, EventDestinationDefinition definition) {
        ses.createConfigurationSetEventDestination(
                r -> r.configurationSetName(SET).eventDestinationName(name).eventDestination(definition));
    }

    private List<EventDestination> list() {
        return ses.getConfigurationSetEventDestinations(r -> r.configurationSetName(SET))
                .eventDestinations();
    }

    private static EventDestination byName(Collection<EventDestination> destinations, String name) {
        Map<String, EventDestination> byName =
                destinations.stream().collect(Collectors.toMap(EventDestination::name, Function.identity()));
        assertThat(byName).containsKey(name);
        return byName.get(name);
    }

    private static EventDestinationDefinition webhookTo(String url, boolean enabled, EventType... types) {
        return EventDestinationDefinition.builder()
                .enabled(enabled)
                .matchingEventTypes(types)
                .snsDestination(s -> s.topicArn(url))
                .build();
    }

    private static EventDestinationDefinition fileNamed(String file, boolean enabled, EventType... types) {
        return EventDestinationDefinition.builder()
                .enabled(enabled)
                .matchingEventTypes(types)
                .kinesisFirehoseDestination(f -> f.iamRoleArn(FIREHOSE_ROLE).deliveryStreamArn("file:" + file))
                .build();
    }

    private Path destinationFile(String name) {
        return server.dataDir().resolve("events").resolve(acme.accountId()).resolve(name + ".jsonl");
    }

    private EventLog fileDestination(String name) {
        return new EventLog(destinationFile(name));
    }

    private String send(String set, String to) {
        return ses.sendEmail(r -> r.fromEmailAddress("sender@acme.test")
                        .destination(d -> d.toAddresses(to))
                        .configurationSetName(set)
                        .content(c ->
                                c.simple(s -> s.subject(x -> x.data("hello")).body(b -> b.text(t -> t.data("body"))))))
                .messageId();
    }

    private static JsonNode parse(String json) {
        try {
            return JSON.readTree(json);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + json, e);
        }
    }
}
