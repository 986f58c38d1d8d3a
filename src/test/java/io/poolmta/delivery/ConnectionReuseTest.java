package io.poolmta.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.EventLog;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.SmtpRule;
import io.poolmta.testing.SmtpSessionRecord;
import io.poolmta.testing.SmtpStage;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * An open delivery connection takes the messages that reach its path while it is open (waiting up
 * to {@code connectionIdle} for them) instead of a new connection per message; it keeps to the
 * per-connection limit across those rounds; and a connection the receiver closed while it waited
 * costs the waiting messages nothing (no event, no attempt): they go on a new connection.
 */
class ConnectionReuseTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String POOL_IP = "127.0.0.11";

    @TempDir
    Path dir;

    TestServer server;
    SesV2Client ses;
    EventLog events;
    ScriptedSmtpServer sink;

    private void start(int messagesPerConnection, Duration idle, ScriptedSmtpServer.Builder sinkBuilder) {
        start(1, messagesPerConnection, idle, sinkBuilder);
    }

    private void start(
            int connections, int messagesPerConnection, Duration idle, ScriptedSmtpServer.Builder sinkBuilder) {
        DeliverySettings d = DeliverySettings.DEFAULT;
        server = TestServer.start(
                dir,
                MutableClock.startingNow(),
                env -> env.withDelivery(new DeliverySettings(
                        connections, messagesPerConnection, d.retry(), d.defaultMaxDelivery(), d.tick(), idle)));
        TestAccount acme = server.createAccount("acme");
        server.leaseIps(acme, POOL_IP);
        ses = server.ses(acme);
        ses.createDedicatedIpPool(r -> r.poolName("tx"));
        ses.putDedicatedIpInPool(r -> r.ip(POOL_IP).destinationPoolName("tx"));
        ses.createConfigurationSet(r -> r.configurationSetName("tx").deliveryOptions(o -> o.sendingPoolName("tx")));
        events = EventLog.of(server);
        sink = sinkBuilder.start();
        server.route("example.com", sink.nextHop().toString());
    }

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void messagesSentOneByOneShareTheOpenConnection() {
        start(100, Duration.ofSeconds(2), ScriptedSmtpServer.builder());

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String id = send("r" + i + "@example.com");
            ids.add(id);
            events.await(id, "Delivery", WAIT); // each is delivered before the next is sent
        }

        // one connection carried all five (a round after a wait starts with RSET); still open (idle)
        List<SmtpSessionRecord> sessions = sink.sessions();
        assertThat(sessions).hasSize(1);
        assertThat(sessions.getFirst().verbs())
                .startsWith("EHLO", "MAIL", "RCPT", "DATA")
                .filteredOn("DATA"::equals)
                .hasSize(5);
        // after the idle time it says QUIT
        assertThat(sink.awaitAllSessionsClosed(WAIT).getFirst().verbs()).endsWith("DATA", "QUIT");
        ids.forEach(id -> assertThat(events.of(id, "DeliveryDelay")).as(id).isEmpty());
    }

    @Test
    void theMessagesPerConnectionLimitHoldsAcrossRounds() {
        start(2, Duration.ofSeconds(2), ScriptedSmtpServer.builder());

        for (int i = 0; i < 5; i++) {
            events.await(send("r" + i + "@example.com"), "Delivery", WAIT);
        }

        List<SmtpSessionRecord> sessions = sink.awaitAllSessionsClosed(WAIT);
        assertThat(sessions).hasSize(3).allSatisfy(s -> assertThat(s.verbs()).endsWith("QUIT"));
        assertThat(sessions)
                .extracting(s -> s.verbs().stream().filter("DATA"::equals).count())
                .containsExactly(2L, 2L, 1L);
    }

    @Test
    void aBurstIsSpreadOverThePathsConnectionsNotQueuedBehindOne() {
        // a distant receiver: every reply takes 100 ms, so each message costs round trips and a
        // connection that took the whole burst would send it one message after another
        start(4, 100, Duration.ofSeconds(2), ScriptedSmtpServer.builder().replyDelay(Duration.ofMillis(100)));

        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            ids.add(send("r" + i + "@example.com"));
        }
        ids.forEach(id -> events.await(id, "Delivery", Duration.ofSeconds(30)));

        List<SmtpSessionRecord> sessions = sink.sessions();
        List<Long> perSession = sessions.stream()
                .map(s -> s.verbs().stream().filter("DATA"::equals).count())
                .toList();
        assertThat(perSession)
                .as("messages per connection")
                .hasSizeBetween(3, 4)
                .allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(8));
        assertThat(perSession.stream().mapToLong(Long::longValue).sum()).isEqualTo(16);
        // the later rounds found their messages waiting: no RSET round trip before them
        assertThat(sessions).allSatisfy(session -> assertThat(session.verbs()).doesNotContain("RSET"));
    }

    @Test
    void aConnectionClosedWhileIdleCostsTheNextMessageNothing() throws InterruptedException {
        // the receiver answers the RSET that opens the second round with 421 and hangs up, as a
        // server does when it times an idle client out
        start(
                100,
                Duration.ofSeconds(5),
                ScriptedSmtpServer.builder()
                        .rule(SmtpRule.at(SmtpStage.RSET).firstTimes(1).replyThenDrop(421, "4.4.2 idle timeout")));

        String first = send("first@example.com");
        events.await(first, "Delivery", WAIT);
        Thread.sleep(300); // the connection sits idle longer than SmtpClient.IDLE_BEFORE_RESET
        String second = send("second@example.com");
        events.await(second, "Delivery", WAIT);

        List<SmtpSessionRecord> sessions = sink.awaitSessions(2, WAIT);
        assertThat(sessions.getFirst().verbs()).containsExactly("EHLO", "MAIL", "RCPT", "DATA", "RSET");
        assertThat(sessions.get(1).verbs()).startsWith("EHLO", "MAIL", "RCPT", "DATA");
        assertThat(events.of(second, "DeliveryDelay"))
                .as("never attempted on the closed connection")
                .isEmpty();
        assertThat(events.of(second, "Delivery")).hasSize(1);
        assertThat(sink.messages())
                .extracting(m -> m.recipients().getFirst())
                .containsExactly("first@example.com", "second@example.com");
    }

    private String send(String to) {
        return ses.sendEmail(r -> r.fromEmailAddress("sender@acme.test")
                        .destination(d -> d.toAddresses(to))
                        .configurationSetName("tx")
                        .content(c ->
                                c.simple(s -> s.subject(x -> x.data("hello")).body(b -> b.text(t -> t.data("body"))))))
                .messageId();
    }
}
