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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * A connection carrying several messages breaks before the last of them: only the message whose
 * transaction broke is an attempt (one DeliveryDelay with its own reply, a retry after the
 * backoff); the others were never tried, so they get no event and go again on a new connection,
 * at once or when the throttle's pause ends.
 * <p>
 * To put several messages on one connection the path may hold one connection, and a first message
 * keeps it busy (a slow reply to its ".") while the batch queues up behind it; the connection then
 * takes the batch once the first message is done.
 */
class BrokenBatchTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final Duration QUIET = Duration.ofMillis(400);
    /** How long the first message's "." waits for its reply: the batch is sent meanwhile. */
    private static final Duration BUSY = Duration.ofSeconds(2);

    private static final Duration FIRST_BACKOFF = RetryPolicy.DEFAULT.initial();
    private static final String POOL_IP = "127.0.0.11";

    @TempDir
    Path dir;

    TestServer server;
    SesV2Client ses;
    EventLog events;
    ScriptedSmtpServer sink;

    @BeforeEach
    void setUp() {
        DeliverySettings d = DeliverySettings.DEFAULT;
        server = TestServer.start(
                dir,
                MutableClock.startingNow(),
                env -> env.withDelivery(new DeliverySettings(
                                1,
                                d.maxMessagesPerConnection(),
                                d.retry(),
                                d.defaultMaxDelivery(),
                                d.tick(),
                                d.connectionIdle()))
                        .withSmtpClient(SmtpClientSettings.defaults().withCommandTimeout(Duration.ofSeconds(2))));
        TestAccount acme = server.createAccount("acme");
        server.leaseIps(acme, POOL_IP);
        ses = server.ses(acme);
        ses.createDedicatedIpPool(r -> r.poolName("tx"));
        ses.putDedicatedIpInPool(r -> r.ip(POOL_IP).destinationPoolName("tx"));
        ses.createConfigurationSet(r -> r.configurationSetName("tx").deliveryOptions(o -> o.sendingPoolName("tx")));
        events = EventLog.of(server);
    }

    @AfterEach
    void tearDown() {
        server.close();
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void messagesNeverTriedOnALostConnectionGoOnTheNextWithoutADelay() {
        startSink(ScriptedSmtpServer.builder()
                .rule(SmtpRule.at(SmtpStage.DATA_END).firstTimes(1).after(BUSY).proceed())
                .rule(SmtpRule.at(SmtpStage.DATA_END).firstTimes(1).acceptThenDrop()));

        String busy = send("busy@example.com");
        sink.awaitSessions(1, WAIT);
        String broken = send("broken@example.com");
        String second = send("second@example.com");
        String third = send("third@example.com");
        assertThat(sink.sessions())
                .as("the batch queued up while the first connection was busy")
                .hasSize(1);

        // the reply to broken's "." is lost; second and third were never sent on that connection
        JsonNode delay = events.await(broken, "DeliveryDelay", WAIT);
        assertThat(delay.at("/deliveryDelay/delayedRecipients/0/diagnosticCode").asText())
                .contains("421 4.4.2 connection lost during end of DATA (the message may have been delivered)");
        // ... and go on the next connection now, not after a backoff (the clock has not moved)
        events.await(second, "Delivery", WAIT);
        events.await(third, "Delivery", WAIT);
        List<SmtpSessionRecord> sessions = sink.awaitAllSessionsClosed(WAIT);
        // (a RSET between the two only if taking the batch took longer than SmtpClient.IDLE_BEFORE_RESET)
        assertThat(sessions.getFirst().verbs())
                .as("busy, then the batch on the same connection")
                .filteredOn(verb -> !verb.equals("RSET"))
                .isEqualTo(List.of("EHLO", "MAIL", "RCPT", "DATA", "MAIL", "RCPT", "DATA"));
        // new connections (one or two: they are routed again one by one) carry the other two, healthy to QUIT
        assertThat(sessions.subList(1, sessions.size()))
                .hasSizeBetween(1, 2)
                .allSatisfy(session -> assertThat(session.verbs()).endsWith("DATA", "QUIT"))
                .flatExtracting(SmtpSessionRecord::verbs)
                .filteredOn("DATA"::equals)
                .hasSize(2);
        assertThat(sink.messages())
                .extracting(m -> m.recipients().getFirst())
                .containsExactly("busy@example.com", "broken@example.com", "second@example.com", "third@example.com");
        assertThat(events.of(second, "DeliveryDelay")).isEmpty();
        assertThat(events.of(third, "DeliveryDelay")).isEmpty();

        // the broken one is retried after its backoff (a duplicate: the receiver had it already)
        server.clock().advance(FIRST_BACKOFF.plusSeconds(1));
        events.await(broken, "Delivery", WAIT);
        assertThat(sink.awaitMessages(5, WAIT))
                .extracting(ReceivedMessage::sourceAddress)
                .containsOnly(POOL_IP);
        assertThat(events.of(broken, "DeliveryDelay")).hasSize(1);
        for (String id : List.of(busy, second, third)) {
            assertThat(events.of(id, "DeliveryDelay")).as(id).isEmpty();
            assertThat(events.of(id, "Delivery")).as(id).hasSize(1);
        }
        assertThat(server.server().delivery().queued()).isZero();
    }

    @Test
    void aConnectionThatCannotBeOpenedIsTheFirstMessagesAttemptAndTheOthersWaitForThePause() {
        // busy's connection breaks after its message was taken (so the batch queued behind it is not
        // sent on it); the next connection is greeted with 421
        startSink(ScriptedSmtpServer.builder()
                .rule(SmtpRule.at(SmtpStage.DATA_END).firstTimes(1).after(BUSY).acceptThenDrop())
                .rule(SmtpRule.at(SmtpStage.GREETING).firstTimes(1).proceed())
                .rule(SmtpRule.at(SmtpStage.GREETING).firstTimes(1).replyThenDrop(421, "4.3.2 service busy")));

        String busy = send("busy@example.com");
        sink.awaitSessions(1, WAIT);
        String first = send("first@example.com");
        String second = send("second@example.com");
        String third = send("third@example.com");
        assertThat(sink.sessions())
                .as("the batch queued up while the first connection was busy")
                .hasSize(1);

        JsonNode delay = events.await(first, "DeliveryDelay", WAIT);
        assertThat(delay.at("/deliveryDelay/delayedRecipients/0/diagnosticCode").asText())
                .contains("greeted with 421 4.3.2 service busy");
        assertThat(delay.at("/deliveryDelay/delayType").asText()).isEqualTo("TransientCommunicationFailure");
        // the failed connection paused the path: the others wait for the pause, no new connection meanwhile
        await().during(QUIET)
                .atMost(QUIET.plusSeconds(2))
                .until(() -> sink.sessions().size() == 2);
        assertThat(server.server().delivery().queued())
                .as("busy's retry and the three")
                .isEqualTo(4);
        for (String id : List.of(second, third)) {
            assertThat(events.of(id, "DeliveryDelay")).as(id).isEmpty();
            assertThat(events.of(id, "Delivery")).as(id).isEmpty();
        }

        server.clock().advance(FIRST_BACKOFF.plusSeconds(1));

        for (String id : List.of(busy, first, second, third)) {
            events.await(id, "Delivery", WAIT);
        }
        assertThat(events.of(busy, "DeliveryDelay")).hasSize(1);
        assertThat(events.of(first, "DeliveryDelay")).hasSize(1);
        assertThat(events.of(second, "DeliveryDelay")).isEmpty();
        assertThat(events.of(third, "DeliveryDelay")).isEmpty();
        // busy twice: its first copy was taken before the connection dropped
        assertThat(sink.awaitMessages(5, WAIT)).hasSize(5);
    }

    @Test
    void largeMessagesAreReadFromTheSpoolARoundAtATimeAndGoOnOneConnection() {
        startSink(ScriptedSmtpServer.builder()
                .rule(SmtpRule.at(SmtpStage.DATA_END).firstTimes(1).after(BUSY).proceed()));
        String big = "x".repeat(76) + "\n";
        String body = big.repeat((int) (PathConnections.ROUND_BYTES * 6 / 10 / big.length())); // 0.6 of a round

        send("busy@example.com");
        sink.awaitSessions(1, WAIT);
        List<String> large =
                List.of(send("one@example.com", body), send("two@example.com", body), send("three@example.com", body));
        for (String id : large) {
            events.await(id, "Delivery", WAIT);
        }
        List<SmtpSessionRecord> sessions = sink.awaitAllSessionsClosed(WAIT);
        assertThat(sessions)
                .as("one connection, each large message a round of its own")
                .hasSize(1);
        assertThat(sessions.getFirst().verbs()).filteredOn("DATA"::equals).hasSize(4);
        assertThat(sink.messages())
                .extracting(m -> m.recipients().getFirst())
                .containsExactly("busy@example.com", "one@example.com", "two@example.com", "three@example.com");
        assertThat(sink.messages().subList(1, 4))
                .allSatisfy(m -> assertThat(m.text())
                        .contains(big.strip().substring(0, 70))
                        .hasSizeGreaterThan((int) (PathConnections.ROUND_BYTES * 6 / 10)));
    }

    @Test
    void largeMessagesNotYetReadWhenTheConnectionBreaksGoOnTheNextWithoutADelay() {
        startSink(ScriptedSmtpServer.builder()
                .rule(SmtpRule.at(SmtpStage.DATA_END).firstTimes(1).after(BUSY).proceed())
                .rule(SmtpRule.at(SmtpStage.DATA_END).firstTimes(1).acceptThenDrop()));
        String big = "y".repeat(76) + "\n";
        String body = big.repeat((int) (PathConnections.ROUND_BYTES * 6 / 10 / big.length()));

        send("busy@example.com");
        sink.awaitSessions(1, WAIT);
        String broken = send("broken@example.com", body);
        String second = send("second@example.com", body);
        String third = send("third@example.com", body);

        events.await(broken, "DeliveryDelay", WAIT);
        // second and third were taken for the connection but not read yet when it broke: put back as
        // they were, and sent on the next connection now, not after a backoff (the clock has not moved)
        events.await(second, "Delivery", WAIT);
        events.await(third, "Delivery", WAIT);
        assertThat(events.of(second, "DeliveryDelay")).isEmpty();
        assertThat(events.of(third, "DeliveryDelay")).isEmpty();
        List<SmtpSessionRecord> sessions = sink.awaitAllSessionsClosed(WAIT);
        assertThat(sessions.getFirst().verbs())
                .filteredOn(verb -> !verb.equals("RSET"))
                .isEqualTo(List.of("EHLO", "MAIL", "RCPT", "DATA", "MAIL", "RCPT", "DATA"));
        server.clock().advance(FIRST_BACKOFF.plusSeconds(1));
        events.await(broken, "Delivery", WAIT);
        assertThat(server.server().delivery().queued()).isZero();
    }

    private void startSink(ScriptedSmtpServer.Builder builder) {
        sink = builder.start();
        server.route("example.com", sink.nextHop().toString());
    }

    private String send(String to) {
        return send(to, "body");
    }

    private String send(String to, String body) {
        return ses.sendEmail(r -> r.fromEmailAddress("sender@acme.test")
                        .destination(d -> d.toAddresses(to))
                        .configurationSetName("tx")
                        .content(c ->
                                c.simple(s -> s.subject(x -> x.data("hello")).body(b -> b.text(t -> t.data(body))))))
                .messageId();
    }
}
