package io.poolmta.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.delivery.smtp.SmtpClientSettings;
import io.poolmta.testing.EventLog;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.SmtpRule;
import io.poolmta.testing.SmtpSessionRecord;
import io.poolmta.testing.SmtpStage;
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
import software.amazon.awssdk.services.sesv2.model.TlsPolicy;

/**
 * What happens to a message when the receiving server does not simply say 250: scripted sinks on
 * loopback answer 4xx, 5xx, drop the connection or offer no TLS, and the test moves the domain
 * clock to make retries and expiry due. Every outcome is checked on the wire (what the sink saw)
 * and in the server-wide event log (DeliveryDelay, Delivery, Bounce).
 */
class DeliveryFailuresTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    /** Long enough for the scheduler (20 ms tick) to have acted many times if it were going to. */
    private static final Duration QUIET = Duration.ofMillis(400);

    private static final Duration FIRST_BACKOFF = Duration.ofMinutes(1);
    private static final String POOL_IP = "127.0.0.11";

    @TempDir
    Path dir;

    TestServer server;
    TestAccount acme;
    SesV2Client ses;
    EventLog events;
    final List<ScriptedSmtpServer> sinks = new ArrayList<>();

    @BeforeEach
    void setUp() {
        // a short command timeout so a silent server is given up on in seconds, not a minute
        server = TestServer.start(
                dir,
                MutableClock.startingNow(),
                env -> env.withSmtpClient(SmtpClientSettings.defaults().withCommandTimeout(Duration.ofSeconds(2))));
        acme = server.createAccount("acme");
        server.leaseIps(acme, POOL_IP, "127.0.0.12", "127.0.0.13");
        ses = server.ses(acme);
        ses.createDedicatedIpPool(r -> r.poolName("tx"));
        ses.putDedicatedIpInPool(r -> r.ip(POOL_IP).destinationPoolName("tx"));
        ses.createConfigurationSet(r -> r.configurationSetName("tx").deliveryOptions(d -> d.sendingPoolName("tx")));
        ses.createConfigurationSet(r -> r.configurationSetName("short")
                .deliveryOptions(d -> d.sendingPoolName("tx").maxDeliverySeconds(300L)));
        ses.createConfigurationSet(r -> r.configurationSetName("secure")
                .deliveryOptions(d ->
                        d.sendingPoolName("tx").tlsPolicy(TlsPolicy.REQUIRE).maxDeliverySeconds(300L)));
        events = EventLog.of(server);
    }

    @AfterEach
    void tearDown() {
        server.close();
        sinks.forEach(ScriptedSmtpServer::close);
    }

    @Test
    void tempFailRetriesThenDelivers() {
        ScriptedSmtpServer sink = sinkFor(
                "example.com",
                ScriptedSmtpServer.builder()
                        .rule(SmtpRule.at(SmtpStage.DATA_END).firstTimes(1).reply(451, "4.3.0 try again later")));

        String id = send("tx", "to@example.com");

        JsonNode delay = events.await(id, "DeliveryDelay", WAIT);
        JsonNode delayed = delay.at("/deliveryDelay/delayedRecipients/0");
        assertThat(delayed.path("emailAddress").asText()).isEqualTo("to@example.com");
        assertThat(delayed.path("diagnosticCode").asText()).contains("451 4.3.0 try again later");
        assertThat(delayed.path("status").asText()).isEqualTo("4.3.0");
        assertThat(delay.at("/deliveryDelay/delayType").asText()).isEqualTo("RecipientServerError");
        assertThat(delay.at("/mail/tags/ses:outgoing-ip/0").asText()).isEqualTo(POOL_IP);
        assertThat(sink.messages()).isEmpty();

        // not before the backoff has passed
        server.clock().advance(FIRST_BACKOFF.minusSeconds(5));
        assertStaysAt(sink, 1);
        assertThat(events.of(id, "Delivery")).isEmpty();

        server.clock().advance(Duration.ofSeconds(6));
        ReceivedMessage m = sink.awaitMessages(1, WAIT).getFirst();
        assertThat(m.recipients()).containsExactly("to@example.com");
        JsonNode delivery = events.await(id, "Delivery", WAIT);
        assertThat(delivery.at("/delivery/recipients"))
                .extracting(JsonNode::asText)
                .containsExactly("to@example.com");
        assertThat(delivery.at("/delivery/smtpResponse").asText()).startsWith("250");
        assertThat(delivery.at("/mail/tags/ses:outgoing-ip/0").asText()).isEqualTo(POOL_IP);
        // the retry left from the address of the first attempt
        assertThat(sink.sessions())
                .hasSize(2)
                .extracting(SmtpSessionRecord::sourceAddress)
                .containsOnly(POOL_IP);
        assertThat(m.sourceAddress()).isEqualTo(POOL_IP);
        assertThat(events.of(id, "DeliveryDelay")).hasSize(1);
        assertThat(events.of(id, "Bounce")).isEmpty();
    }

    @Test
    void retryKeepsItsSourceIpWhenThePoolGrows() {
        int count = 4;
        ScriptedSmtpServer sink = sinkFor(
                "example.com",
                ScriptedSmtpServer.builder()
                        .rule(SmtpRule.at(SmtpStage.DATA_END).firstTimes(count).reply(451, "4.3.0 try again later")));
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            ids.add(send("tx", "user" + i + "@example.com"));
        }
        for (String id : ids) {
            assertThat(events.await(id, "DeliveryDelay", WAIT)
                            .at("/mail/tags/ses:outgoing-ip/0")
                            .asText())
                    .isEqualTo(POOL_IP);
        }

        // two more addresses join the pool: a fresh choice would usually land on one of them
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.12").destinationPoolName("tx"));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.13").destinationPoolName("tx"));
        server.clock().advance(FIRST_BACKOFF.plusSeconds(1));

        List<ReceivedMessage> received = sink.awaitMessages(count, WAIT);
        assertThat(received).extracting(ReceivedMessage::sourceAddress).containsOnly(POOL_IP);
        for (String id : ids) {
            assertThat(events.await(id, "Delivery", WAIT)
                            .at("/mail/tags/ses:outgoing-ip/0")
                            .asText())
                    .isEqualTo(POOL_IP);
        }
    }

    @Test
    void permanentFailureBounces() {
        ScriptedSmtpServer sink = sinkFor(
                "example.com",
                ScriptedSmtpServer.builder().rejectRecipient("nobody@example.com", 550, "5.1.1 no such user"));

        String id = send("tx", "nobody@example.com");

        JsonNode bounce = events.await(id, "Bounce", WAIT);
        assertThat(bounce.at("/bounce/bounceType").asText()).isEqualTo("Permanent");
        JsonNode bounced = bounce.at("/bounce/bouncedRecipients/0");
        assertThat(bounced.path("emailAddress").asText()).isEqualTo("nobody@example.com");
        assertThat(bounced.path("diagnosticCode").asText()).contains("550 5.1.1 no such user");
        assertThat(bounced.path("status").asText()).isEqualTo("5.1.1");
        assertThat(bounce.at("/mail/tags/ses:outgoing-ip/0").asText()).isEqualTo(POOL_IP);
        assertThat(bounce.at("/bounce/remoteMtaIp").asText()).isEqualTo("127.0.0.1");

        // no retry, however long we wait
        server.clock().advance(Duration.ofHours(2));
        assertStaysAt(sink, 1);
        assertThat(server.server().delivery().queued()).isZero();
        assertThat(sink.messages()).isEmpty();
        assertThat(events.of(id, "DeliveryDelay")).isEmpty();
        assertThat(events.of(id, "Delivery")).isEmpty();
        assertThat(events.of(id, "Bounce")).hasSize(1);
    }

    @Test
    void oneRecipientBouncesTheOtherIsDelivered() {
        ScriptedSmtpServer sink = sinkFor(
                "example.com",
                ScriptedSmtpServer.builder().rejectRecipient("nobody@example.com", 550, "5.1.1 no such user"));

        String id = send("tx", "ok@example.com", "nobody@example.com");

        ReceivedMessage m = sink.awaitMessages(1, WAIT).getFirst();
        assertThat(m.recipients()).containsExactly("ok@example.com");
        JsonNode delivery = events.await(id, "Delivery", WAIT);
        assertThat(delivery.at("/delivery/recipients"))
                .extracting(JsonNode::asText)
                .containsExactly("ok@example.com");
        JsonNode bounce = events.await(id, "Bounce", WAIT);
        assertThat(bounce.at("/bounce/bounceType").asText()).isEqualTo("Permanent");
        assertThat(bounce.at("/bounce/bouncedRecipients")).hasSize(1);
        assertThat(bounce.at("/bounce/bouncedRecipients/0/emailAddress").asText())
                .isEqualTo("nobody@example.com");
        assertThat(bounce.at("/bounce/bouncedRecipients/0/diagnosticCode").asText())
                .contains("550 5.1.1 no such user");

        server.clock().advance(Duration.ofHours(1));
        assertStaysAt(sink, 1);
        assertThat(sink.messages()).hasSize(1);
        assertThat(events.of(id, "DeliveryDelay")).isEmpty();
        assertThat(events.of(id, "Delivery")).hasSize(1);
        assertThat(events.of(id, "Bounce")).hasSize(1);
    }

    @Test
    void connectionDroppedAtDataIsRetried() {
        ScriptedSmtpServer sink = sinkFor(
                "example.com",
                ScriptedSmtpServer.builder()
                        .rule(SmtpRule.at(SmtpStage.DATA).firstTimes(1).drop()));

        String id = send("tx", "to@example.com");

        JsonNode delay = events.await(id, "DeliveryDelay", WAIT);
        assertThat(delay.at("/deliveryDelay/delayedRecipients/0/diagnosticCode").asText())
                .contains("421")
                .contains("connection lost during DATA");
        assertThat(sink.messages()).isEmpty();

        server.clock().advance(FIRST_BACKOFF.plusSeconds(1));

        ReceivedMessage m = sink.awaitMessages(1, WAIT).getFirst();
        assertThat(m.recipients()).containsExactly("to@example.com");
        assertThat(m.sourceAddress()).isEqualTo(POOL_IP);
        assertThat(events.await(id, "Delivery", WAIT)
                        .at("/delivery/smtpResponse")
                        .asText())
                .startsWith("250");
        assertStaysAt(sink, 2);
        assertThat(sink.messages()).hasSize(1);
    }

    @Test
    void noGreetingIsRetried() {
        ScriptedSmtpServer sink = sinkFor(
                "example.com",
                ScriptedSmtpServer.builder()
                        .rule(SmtpRule.at(SmtpStage.GREETING).firstTimes(1).silence()));

        String id = send("tx", "to@example.com");

        JsonNode delay = events.await(id, "DeliveryDelay", WAIT);
        assertThat(delay.at("/deliveryDelay/delayedRecipients/0/diagnosticCode").asText())
                .contains("greeting");
        server.clock().advance(FIRST_BACKOFF.plusSeconds(1));
        assertThat(sink.awaitMessages(1, WAIT)).hasSize(1);
        events.await(id, "Delivery", WAIT);
    }

    @Test
    void tlsRequiredButNotOfferedIsNeverSentInClear() {
        ScriptedSmtpServer sink =
                sinkFor("example.com", ScriptedSmtpServer.builder().startTls(false));

        String id = send("secure", "to@example.com");

        JsonNode delay = events.await(id, "DeliveryDelay", WAIT);
        assertThat(delay.at("/deliveryDelay/delayedRecipients/0/diagnosticCode").asText())
                .contains("TLS required");
        assertThat(sink.awaitAllSessionsClosed(WAIT)).isNotEmpty().noneMatch(s -> s.sent("MAIL"));

        // past MaxDeliverySeconds (300): the message expires without ever being sent
        server.clock().advance(Duration.ofSeconds(301));

        JsonNode bounce = events.await(id, "Bounce", WAIT);
        assertThat(bounce.at("/bounce/bounceType").asText()).isEqualTo("Transient");
        assertThat(bounce.at("/bounce/bouncedRecipients/0/emailAddress").asText())
                .isEqualTo("to@example.com");
        assertThat(bounce.at("/bounce/bouncedRecipients/0/diagnosticCode").asText())
                .contains("MaxDeliverySeconds")
                .contains("TLS required");
        assertThat(sink.awaitAllSessionsClosed(WAIT)).noneMatch(s -> s.sent("MAIL") || s.sent("DATA"));
        assertThat(sink.messages()).isEmpty();
        assertThat(events.of(id, "Delivery")).isEmpty();
        assertThat(server.server().delivery().queued()).isZero();
    }

    @Test
    void tlsRequiredIsDeliveredOverStartTls() {
        ScriptedSmtpServer sink =
                sinkFor("example.com", ScriptedSmtpServer.builder().startTls(true));

        String id = send("secure", "to@example.com");

        ReceivedMessage m = sink.awaitMessages(1, WAIT).getFirst();
        assertThat(m.tls()).isTrue();
        assertThat(m.recipients()).containsExactly("to@example.com");
        SmtpSessionRecord session = sink.sessions().getFirst();
        assertThat(session.tls()).isTrue();
        // nothing of the transaction went out before the handshake
        assertThat(session.verbs().subList(0, session.verbs().indexOf("STARTTLS")))
                .containsOnly("EHLO");
        assertThat(events.await(id, "Delivery", WAIT)
                        .at("/delivery/smtpResponse")
                        .asText())
                .startsWith("250");
        assertThat(events.of(id, "DeliveryDelay")).isEmpty();
    }

    @Test
    void maxDeliverySecondsExpiryBounces() {
        ScriptedSmtpServer sink = sinkFor(
                "example.com", ScriptedSmtpServer.builder().replyAt(SmtpStage.DATA_END, 451, "4.3.0 still busy"));
        Instant accepted = server.clock().instant();

        String id = send("short", "to@example.com");

        // attempts at 0 s, 60 s and 180 s (1 min, then doubling) each defer; the next would be at
        // 420 s, beyond the 300 s MaxDeliverySeconds, so the message is due again at 300 s and expires
        awaitDelays(id, 1);
        server.clock().advance(Duration.ofSeconds(60));
        awaitDelays(id, 2);
        server.clock().advance(Duration.ofSeconds(120));
        awaitDelays(id, 3);
        assertThat(events.of(id, "Bounce")).isEmpty();
        server.clock().advance(Duration.ofSeconds(120));

        JsonNode bounce = events.await(id, "Bounce", WAIT);
        assertThat(bounce.at("/bounce/bounceType").asText()).isEqualTo("Transient");
        assertThat(bounce.at("/bounce/bouncedRecipients/0/emailAddress").asText())
                .isEqualTo("to@example.com");
        assertThat(bounce.at("/bounce/bouncedRecipients/0/diagnosticCode").asText())
                .contains("MaxDeliverySeconds")
                .contains("451 4.3.0 still busy");
        List<JsonNode> delays = events.of(id, "DeliveryDelay");
        assertThat(delays).hasSize(3).allSatisfy(d -> {
            assertThat(d.at("/deliveryDelay/delayedRecipients/0/diagnosticCode").asText())
                    .contains("451 4.3.0 still busy");
            assertThat(Instant.parse(d.at("/deliveryDelay/expirationTime").asText()))
                    .isBetween(accepted.plusSeconds(299), accepted.plusSeconds(301));
        });
        // three attempts (on one connection or more: an open connection takes a retry due meanwhile)
        List<SmtpSessionRecord> sessions = sink.awaitAllSessionsClosed(WAIT);
        assertThat(sessions)
                .flatExtracting(SmtpSessionRecord::verbs)
                .filteredOn("DATA"::equals)
                .hasSize(3);

        // expired means done: never tried again
        server.clock().advance(Duration.ofHours(3));
        assertStaysAt(sink, sessions.size());
        assertThat(server.server().delivery().queued()).isZero();
        assertThat(events.of(id, "Bounce")).hasSize(1);
        assertThat(events.of(id, "DeliveryDelay")).hasSize(3);
        assertThat(sink.messages()).isEmpty();
    }

    @Test
    void mailToADomainWithoutStaticRouteIsBounced() {
        ScriptedSmtpServer sink = sinkFor("example.com", ScriptedSmtpServer.builder());

        String id = send("tx", "someone@unrouted.invalid");

        JsonNode bounce = events.await(id, "Bounce", WAIT);
        assertThat(bounce.at("/bounce/bounceType").asText()).isEqualTo("Permanent");
        assertThat(bounce.at("/bounce/bouncedRecipients/0/emailAddress").asText())
                .isEqualTo("someone@unrouted.invalid");
        assertThat(bounce.at("/bounce/bouncedRecipients/0/diagnosticCode").asText())
                .contains("unrouted.invalid")
                .contains("no static route")
                .contains("loopback");
        assertThat(events.of(id, "DeliveryDelay")).isEmpty();
        assertThat(events.of(id, "Delivery")).isEmpty();
        assertThat(sink.sessions()).isEmpty();
        assertThat(server.server().delivery().queued()).isZero();
    }

    @Test
    void recipientsAcrossTwoDomainsAreDeliveredToEach() {
        ScriptedSmtpServer comSink = sinkFor("example.com", ScriptedSmtpServer.builder());
        ScriptedSmtpServer orgSink =
                sinkFor("example.org", ScriptedSmtpServer.builder().bindAddress("127.0.0.5"));

        String id = send("tx", "a@example.com", "b@example.org", "c@example.com");

        List<String> toCom = comSink.awaitMessages(1, WAIT).stream()
                .flatMap(m -> m.recipients().stream())
                .toList();
        List<String> toOrg = orgSink.awaitMessages(1, WAIT).stream()
                .flatMap(m -> m.recipients().stream())
                .toList();
        assertThat(toCom).containsExactlyInAnyOrder("a@example.com", "c@example.com");
        assertThat(toOrg).containsExactly("b@example.org");
        List<JsonNode> deliveries = await().atMost(WAIT)
                .until(() -> events.of(id, "Delivery"), l -> recipientsOf(l).size() >= 3);
        assertThat(recipientsOf(deliveries))
                .containsExactlyInAnyOrder("a@example.com", "b@example.org", "c@example.com");
        assertThat(comSink.messages()).hasSize(1);
        assertThat(orgSink.messages()).hasSize(1);
    }

    /**
     * A refused connection pauses the source IP for its destination, and for a known provider that
     * is the whole provider; a domain of no known provider is a destination of its own, so one small
     * domain whose server is down does not hold up the IP's mail to every other such domain.
     */
    @Test
    void aDeadSmallDomainDoesNotHoldUpMailToOtherSmallDomains() throws Exception {
        int closed;
        try (java.net.ServerSocket probe =
                new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closed = probe.getLocalPort(); // nothing listens there once it is closed: connections are refused
        }
        server.route("dead.example", "127.0.0.1:" + closed);
        String dead = send("tx", "to@dead.example");
        events.await(dead, "DeliveryDelay", WAIT);
        await().atMost(WAIT)
                .until(() -> server.server().delivery().throttles().stream()
                        .anyMatch(t ->
                                t.sourceIp().equals(POOL_IP) && t.pausedUntil().isPresent()));
        assertThat(server.server().delivery().throttles())
                .filteredOn(t -> t.pausedUntil().isPresent())
                .singleElement()
                .satisfies(t -> {
                    assertThat(t.provider()).isEqualTo("other");
                    assertThat(t.site()).isEqualTo("127.0.0.1:" + closed);
                });

        ScriptedSmtpServer sink = sinkFor("example.com", ScriptedSmtpServer.builder());
        String fine = send("tx", "to@example.com");
        assertThat(sink.awaitMessages(1, WAIT).getFirst().sourceAddress()).isEqualTo(POOL_IP);
        events.await(fine, "Delivery", WAIT);
    }

    private ScriptedSmtpServer sinkFor(String domain, ScriptedSmtpServer.Builder builder) {
        ScriptedSmtpServer sink = builder.start();
        sinks.add(sink);
        server.route(domain, sink.nextHop().toString());
        return sink;
    }

    private String send(String set, String... to) {
        return ses.sendEmail(r -> r.fromEmailAddress("sender@acme.test")
                        .destination(d -> d.toAddresses(to))
                        .configurationSetName(set)
                        .content(c ->
                                c.simple(s -> s.subject(x -> x.data("hello")).body(b -> b.text(t -> t.data("body"))))))
                .messageId();
    }

    private void awaitDelays(String id, int count) {
        await().atMost(WAIT).until(() -> events.of(id, "DeliveryDelay").size() >= count);
        assertThat(events.of(id, "DeliveryDelay")).hasSize(count);
    }

    /** The sink sees no new connection for a while: nothing was (re)tried. */
    private static void assertStaysAt(ScriptedSmtpServer sink, int sessions) {
        await().during(QUIET)
                .atMost(QUIET.plusSeconds(2))
                .until(() -> sink.sessions().size() == sessions);
    }

    private static List<String> recipientsOf(List<JsonNode> deliveries) {
        return deliveries.stream()
                .flatMap(d -> StreamSupport.stream(d.at("/delivery/recipients").spliterator(), false))
                .map(JsonNode::asText)
                .toList();
    }
}
