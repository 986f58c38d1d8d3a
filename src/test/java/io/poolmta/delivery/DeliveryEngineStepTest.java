package io.poolmta.delivery;

import static io.poolmta.delivery.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.delivery.smtp.DeliveryResult;
import io.poolmta.delivery.smtp.OutboundMessage;
import io.poolmta.delivery.smtp.RecipientResult;
import io.poolmta.delivery.smtp.SmtpReply;
import io.poolmta.delivery.smtp.SmtpTransport;
import io.poolmta.egress.SourceAddress;
import io.poolmta.egress.SourceSelection;
import io.poolmta.egress.SourceSelector;
import io.poolmta.events.MailEvent;
import io.poolmta.ip.Ipv4;
import io.poolmta.message.Envelope;
import io.poolmta.message.TlsPolicy;
import io.poolmta.nexthop.NextHop;
import io.poolmta.nexthop.NextHopResolution;
import io.poolmta.provider.ProviderTable;
import io.poolmta.spool.Spool;
import io.poolmta.spool.SpooledMessage;
import io.poolmta.spool.StoredMessage;
import io.poolmta.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * The engine stepped by hand: the scheduler's {@code dispatchDue(now)} with a mutable clock, the
 * connections run on the test's thread, a fake transport that answers what each test scripts.
 * No socket, no sleep, no dispatcher thread: every outcome is decided by the time the test sets.
 */
class DeliveryEngineStepTest {
    private static final Instant T0 = Instant.parse("2025-06-02T09:00:00Z");
    private static final Duration DAY = Duration.ofDays(1);
    private static final SourceAddress SOURCE = new SourceAddress(new Ipv4("127.0.0.11"), "mta.test");

    private final MutableClock clock = new MutableClock(T0);
    private final FakeTransport transport = new FakeTransport();
    private final List<MailEvent> events = new ArrayList<>();
    private final List<String> done = new ArrayList<>();
    private final Deque<Runnable> connections = new ArrayDeque<>();
    private int cancelled;
    /** One connection per path, idle connections close at once, backoff 1 min doubling. */
    private final DeliveryEngine engine = new DeliveryEngine(
            new FakeSpool(),
            transport,
            domain -> new NextHopResolution.Hosts(List.of(new NextHop("127.0.0.1", 25))),
            new OneSource(),
            events::add,
            ProviderTable.defaults(),
            new DeliverySettings(
                    1,
                    100,
                    new RetryPolicy(Duration.ofMinutes(1), Duration.ofMinutes(30)),
                    DAY,
                    Duration.ofMillis(20),
                    Duration.ZERO),
            clock,
            (path, connection) -> connections.add(connection));

    @Test
    void dueTasksGoEarliestFirstAndLaterOnesWait() {
        engine.submit(message("first", T0, DAY, "a@one.example"));
        clock.advance(Duration.ofSeconds(1));
        engine.submit(message("second", T0, DAY, "b@one.example"));
        clock.advance(Duration.ofSeconds(1));
        engine.submit(message("third", T0, DAY, "c@one.example"));

        step(T0.plusSeconds(1));
        assertThat(transport.attempts).containsExactly("first", "second");
        assertThat(engine.queued()).isOne();

        step(T0.plusSeconds(2));
        assertThat(transport.attempts).containsExactly("first", "second", "third");
        assertThat(events)
                .extracting(DeliveryEngineStepTest::describe)
                .containsExactly(
                        "Delivery first [a@one.example] 250 2.0.0 Ok",
                        "Delivery second [b@one.example] 250 2.0.0 Ok",
                        "Delivery third [c@one.example] 250 2.0.0 Ok");
        assertThat(done).containsExactly("first a@one.example", "second b@one.example", "third c@one.example");
    }

    @Test
    void aTemporaryFailureIsRetriedAfterTheBackoffAndNotBefore() {
        transport.answer("a@one.example", "451 4.3.0 busy", "451 4.3.0 still busy", "250 2.0.0 Ok");
        engine.submit(message("m", T0, DAY, "a@one.example"));

        step(T0);
        step(T0.plus(Duration.ofMinutes(1)).minusMillis(1));
        assertThat(transport.attempts).hasSize(1);
        step(T0.plus(Duration.ofMinutes(1)));
        step(T0.plus(Duration.ofMinutes(3)).minusMillis(1));
        assertThat(transport.attempts).as("the second wait is twice the first").hasSize(2);
        step(T0.plus(Duration.ofMinutes(3)));

        assertThat(events)
                .extracting(DeliveryEngineStepTest::describe)
                .containsExactly(
                        "DeliveryDelay m [a@one.example] 451 4.3.0 busy RecipientServerError",
                        "DeliveryDelay m [a@one.example] 451 4.3.0 still busy RecipientServerError",
                        "Delivery m [a@one.example] 250 2.0.0 Ok");
        assertThat(engine.deferred()).isEqualTo(2);
        assertThat(engine.delivered()).isOne();
    }

    @Test
    void aMessageStillFailingAtItsExpiryBouncesTransientWithItsLastReply() {
        transport.answer("a@one.example", "452 4.2.2 mailbox full", "452 4.2.2 mailbox full");
        engine.submit(message("m", T0, Duration.ofSeconds(90), "a@one.example"));

        step(T0);
        step(T0.plusSeconds(60));
        step(T0.plusSeconds(89)); // the next retry would be at 3 min: the expiry comes first
        step(T0.plusSeconds(90));

        assertThat(transport.attempts).hasSize(2);
        assertThat(events)
                .extracting(DeliveryEngineStepTest::describe)
                .containsExactly(
                        "DeliveryDelay m [a@one.example] 452 4.2.2 mailbox full MailboxFull",
                        "DeliveryDelay m [a@one.example] 452 4.2.2 mailbox full MailboxFull",
                        "Bounce m [a@one.example] 554 4.4.7 Message expired after 90 s (MaxDeliverySeconds); last error: "
                                + "452 4.2.2 mailbox full Transient/MailboxFull");
        assertThat(events.getLast().outgoingIp()).contains("127.0.0.11");
        assertThat(done).containsExactly("m a@one.example");
    }

    @Test
    void eachRecipientHasTheOutcomeOfItsOwnReply() {
        transport.answer("gone@one.example", "550 5.1.1 no such user");
        transport.answer("later@one.example", "450 4.2.1 try later");
        engine.submit(message("m", T0, DAY, "ok@one.example", "gone@one.example", "later@one.example"));

        step(T0);

        assertThat(events)
                .extracting(DeliveryEngineStepTest::describe)
                .containsExactly(
                        "Delivery m [ok@one.example] 250 2.0.0 Ok",
                        "Bounce m [gone@one.example] 550 5.1.1 no such user Permanent/NoEmail",
                        "DeliveryDelay m [later@one.example] 450 4.2.1 try later RecipientServerError");
        assertThat(done).containsExactly("m ok@one.example", "m gone@one.example");
    }

    @Test
    void messagesNeverTriedOnABrokenConnectionArePutBackWithoutAnEventAndGoAtOnce() {
        transport.answer("a@one.example", "421 4.4.2 connection lost during DATA");
        engine.submit(message("m1", T0, DAY, "a@one.example"));
        engine.submit(message("m2", T0, DAY, "b@one.example"));
        engine.submit(message("m3", T0, DAY, "c@one.example"));

        step(T0);
        assertThat(transport.attempts).containsExactly("m1");
        assertThat(cancelled).as("their source selections are given back").isEqualTo(2);
        assertThat(events)
                .extracting(DeliveryEngineStepTest::describe)
                .containsExactly(
                        "DeliveryDelay m1 [a@one.example] 421 4.4.2 connection lost during DATA RecipientServerError");

        step(T0);
        assertThat(transport.attempts).containsExactly("m1", "m2", "m3");
        assertThat(transport.connections).isEqualTo(2);
        assertThat(events)
                .extracting(DeliveryEngineStepTest::describe)
                .containsExactly(
                        "DeliveryDelay m1 [a@one.example] 421 4.4.2 connection lost during DATA RecipientServerError",
                        "Delivery m2 [b@one.example] 250 2.0.0 Ok",
                        "Delivery m3 [c@one.example] 250 2.0.0 Ok");
        assertThat(engine.deferred())
                .as("no attempt counted for the put-back ones")
                .isOne();
    }

    @Test
    void messagesPutBackAfterAThrottleWaitForThePause() {
        transport.answer("a@one.example", "421 4.7.0 rate limited, slow down");
        engine.submit(message("m1", T0, DAY, "a@one.example"));
        engine.submit(message("m2", T0, DAY, "b@one.example"));

        step(T0);
        step(T0.plusSeconds(59));
        assertThat(transport.attempts).as("the path is paused for a minute").containsExactly("m1");
        step(T0.plusSeconds(60));

        assertThat(transport.attempts).containsExactly("m1", "m1", "m2");
        assertThat(events)
                .extracting(DeliveryEngineStepTest::describe)
                .containsExactly(
                        "DeliveryDelay m1 [a@one.example] 421 4.7.0 rate limited, slow down IPFailure",
                        "Delivery m1 [a@one.example] 250 2.0.0 Ok",
                        "Delivery m2 [b@one.example] 250 2.0.0 Ok");
        assertThat(engine.throttles())
                .singleElement()
                .satisfies(t -> assertThat(t.throttles()).isOne());
    }

    /** One step at {@code now}: the clock set, due tasks dispatched, the connections they opened run. */
    private void step(Instant now) {
        clock.set(now);
        engine.dispatchDue(now);
        while (!connections.isEmpty()) {
            connections.removeFirst().run();
        }
    }

    private static String describe(MailEvent e) {
        String detail = switch (e.detail()) {
            case MailEvent.DeliveryDelay d -> " " + d.delayType();
            case MailEvent.Bounce b -> " " + b.bounceType() + "/" + b.bounceSubType();
            default -> "";
        };
        return e.type().jsonName() + " " + e.envelope().messageId() + " " + e.recipients() + " "
                + e.reply().orElse("-") + detail;
    }

    /**
     * A receiver that says 250 to every recipient unless told otherwise, per recipient and in turn;
     * a 421 ends the connection, leaving the rest of the batch not attempted.
     */
    private static final class FakeTransport implements SmtpTransport {
        final List<String> attempts = new ArrayList<>();
        final Map<String, Deque<String>> replies = new HashMap<>();
        int connections;

        void answer(String recipient, String... inTurn) {
            replies.put(recipient, new ArrayDeque<>(List.of(inTurn)));
        }

        @Override
        public List<DeliveryResult> deliver(
                SourceAddress source,
                List<NextHop> hosts,
                TlsPolicy tls,
                List<OutboundMessage> batch,
                Supplier<List<OutboundMessage>> more,
                Consumer<DeliveryResult> eachResult) {
            assertThat(source).isEqualTo(SOURCE);
            connections++;
            List<DeliveryResult> results = new ArrayList<>();
            boolean broken = false;
            for (List<OutboundMessage> round = batch;
                    !round.isEmpty() && !broken;
                    round = broken ? List.of() : more.get()) {
                for (OutboundMessage m : round) {
                    DeliveryResult result = broken ? DeliveryResult.notAttempted(m.messageId()) : attempt(m);
                    broken |=
                            result.recipients().stream().anyMatch(r -> r.reply().code() == 421);
                    results.add(result);
                    eachResult.accept(result);
                }
            }
            return results;
        }

        private DeliveryResult attempt(OutboundMessage m) {
            assertThat(new String(m.content(), StandardCharsets.US_ASCII)).isEqualTo(FakeSpool.CONTENT);
            attempts.add(m.messageId());
            List<RecipientResult> results = m.recipients().stream()
                    .map(rcpt -> {
                        Deque<String> script = replies.getOrDefault(rcpt, new ArrayDeque<>());
                        String reply = script.isEmpty() ? "250 2.0.0 Ok" : script.removeFirst();
                        return new RecipientResult(
                                rcpt, new SmtpReply(Integer.parseInt(reply.substring(0, 3)), reply.substring(4)));
                    })
                    .toList();
            return new DeliveryResult(m.messageId(), Optional.of("127.0.0.1:25"), false, results);
        }
    }

    /** Every message has the same content; outcomes are noted. */
    private final class FakeSpool implements Spool {
        static final String CONTENT = "Subject: hi\r\n\r\nhello\r\n";

        @Override
        public StoredMessage store(SpooledMessage message) {
            throw new UnsupportedOperationException();
        }

        @Override
        public byte[] content(StoredMessage message) {
            return CONTENT.getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        public void recipientDone(String messageId, String recipient) {
            done.add(messageId + " " + recipient);
        }

        @Override
        public List<StoredMessage> recover() {
            return List.of();
        }

        @Override
        public long pendingCount() {
            return 0;
        }

        @Override
        public void close() {}
    }

    /** Every message leaves from {@link #SOURCE}; given-back selections are counted. */
    private final class OneSource implements SourceSelector {
        @Override
        public SourceSelection select(
                Envelope envelope, String destinationDomain, String provider, Optional<Ipv4> previous) {
            return new SourceSelection.Selected(SOURCE, TestMessages.POOL);
        }

        @Override
        public void cancel(Envelope envelope, SourceSelection.Selected selection, String provider) {
            cancelled++;
        }

        @Override
        public boolean hasSources(String accountId, String poolName) {
            return true;
        }
    }
}
