package io.poolmta.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.poolmta.egress.SourceAddress;
import io.poolmta.ip.Ipv4;
import io.poolmta.message.TlsPolicy;
import io.poolmta.nexthop.NextHop;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.RecipientVerdict;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.SmtpRule;
import io.poolmta.testing.SmtpSessionRecord;
import io.poolmta.testing.SmtpStage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The outbound SMTP client against a scripted receiver on loopback, each test a transcript: what
 * the receiver was told to do, what it heard, what the client reported.
 */
class SmtpClientTest {
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final SmtpClientSettings QUICK =
            new SmtpClientSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(5));
    private static final String FROM = "sender@poolmta.test";

    private final SmtpClient client = new SmtpClient(QUICK);

    // ---- delivering -------------------------------------------------------------------------

    @Test
    void deliversOneMessageFromTheSourceAddressWithItsEhloName() {
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.acceptingAll()) {
            OutboundMessage message = message("m1", "rcpt@example.com", "Subject: hi\r\n\r\nHello\r\n");

            List<DeliveryResult> results =
                    client.deliver(source(11), List.of(sink.nextHop()), TlsPolicy.OPTIONAL, List.of(message));

            DeliveryResult result = results.getFirst();
            assertThat(results).hasSize(1);
            assertThat(result.messageId()).isEqualTo("m1");
            assertThat(result.remoteAddress()).contains("127.0.0.1:" + sink.port());
            assertThat(result.tls()).isFalse();
            assertThat(result.recipients()).singleElement().satisfies(r -> {
                assertThat(r.recipient()).isEqualTo("rcpt@example.com");
                assertThat(r.reply().code()).isEqualTo(250);
                assertThat(r.reply().text()).startsWith("2.0.0 Ok: queued as");
            });
            ReceivedMessage got = sink.awaitMessages(1, WAIT).getFirst();
            assertThat(got.sourceAddress()).isEqualTo("127.0.0.11");
            assertThat(got.ehloName()).isEqualTo("mta11.poolmta.test");
            assertThat(got.mailFrom()).isEqualTo(FROM);
            assertThat(got.recipients()).containsExactly("rcpt@example.com");
            assertThat(got.text()).isEqualTo("Subject: hi\r\n\r\nHello\r\n");
            SmtpSessionRecord session = sink.awaitAllSessionsClosed(WAIT).getFirst();
            assertThat(session.sourceAddress()).isEqualTo("127.0.0.11");
            assertThat(session.commands())
                    .containsExactly(
                            "EHLO mta11.poolmta.test",
                            "MAIL FROM:<sender@poolmta.test> SIZE=22",
                            "RCPT TO:<rcpt@example.com>",
                            "DATA",
                            "QUIT");
        }
    }

    @Test
    void severalMessagesShareOneConnectionWithoutRset() {
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.acceptingAll()) {
            List<OutboundMessage> batch = List.of(
                    message("m1", "a@example.com", "one\r\n"),
                    message("m2", "b@example.com", "two\r\n"),
                    message("m3", "c@example.com", "three\r\n"));

            List<DeliveryResult> results =
                    client.deliver(source(12), List.of(sink.nextHop()), TlsPolicy.OPTIONAL, batch);

            assertThat(results).extracting(DeliveryResult::messageId).containsExactly("m1", "m2", "m3");
            assertThat(codes(results)).containsExactly(250, 250, 250);
            assertThat(sink.awaitMessages(3, WAIT))
                    .extracting(ReceivedMessage::text)
                    .containsExactly("one\r\n", "two\r\n", "three\r\n");
            assertThat(sink.awaitAllSessionsClosed(WAIT))
                    .singleElement()
                    .satisfies(s -> assertThat(s.verbs())
                            .containsExactly(
                                    "EHLO", "MAIL", "RCPT", "DATA", "MAIL", "RCPT", "DATA", "MAIL", "RCPT", "DATA",
                                    "QUIT"));
        }
    }

    @Test
    void emptyBatchOpensNoConnection() {
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.acceptingAll()) {
            assertThat(client.deliver(source(13), List.of(sink.nextHop()), TlsPolicy.OPTIONAL, List.of()))
                    .isEmpty();
            assertThat(sink.sessions()).isEmpty();
        }
    }

    @Test
    void messageWithoutRecipientsGetsAnEmptyResultAndTheOthersGo() {
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.acceptingAll()) {
            List<OutboundMessage> batch = List.of(
                    new OutboundMessage("none", FROM, List.of(), bytes("x\r\n")),
                    message("m2", "b@example.com", "two\r\n"));

            List<DeliveryResult> results =
                    client.deliver(source(13), List.of(sink.nextHop()), TlsPolicy.OPTIONAL, batch);

            assertThat(results.get(0).recipients()).isEmpty();
            assertThat(codes(results.subList(1, 2))).containsExactly(250);
            assertThat(sink.awaitMessages(1, WAIT)).hasSize(1);
        }
    }

    // ---- pipelining -------------------------------------------------------------------------

    @Test
    void withPipeliningMailRcptAndDataLeaveInOneWrite() {
        try (ScriptedSmtpServer sink =
                ScriptedSmtpServer.builder().pipelining(true).start()) {
            List<DeliveryResult> results = client.deliver(
                    source(14),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(message("m1", List.of("a@example.com", "b@example.com"), "body\r\n")));

            assertThat(codes(results)).containsExactly(250, 250);
            assertThat(sink.awaitAllSessionsClosed(WAIT).getFirst().commandGroups())
                    .contains(List.of(
                            "MAIL FROM:<sender@poolmta.test> SIZE=6",
                            "RCPT TO:<a@example.com>",
                            "RCPT TO:<b@example.com>",
                            "DATA"));
        }
    }

    @Test
    void withPipeliningEachMessagesContentLeavesWithTheNextMessagesCommands() {
        try (ScriptedSmtpServer sink =
                ScriptedSmtpServer.builder().pipelining(true).start()) {
            List<DeliveryResult> results = client.deliver(
                    source(14),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(
                            message("m1", "a@example.com", "one\r\n"),
                            message("m2", "b@example.com", ".two\r\n"),
                            message("m3", "c@example.com", "three\r\n")));

            assertThat(results).extracting(DeliveryResult::messageId).containsExactly("m1", "m2", "m3");
            assertThat(codes(results)).containsExactly(250, 250, 250);
            assertThat(sink.awaitMessages(3, WAIT))
                    .extracting(ReceivedMessage::text)
                    .containsExactly("one\r\n", ".two\r\n", "three\r\n");
            // one round trip per message: m1's content, m2's MAIL, RCPT and DATA in one write, and so on;
            // only the last message's reply is waited for before QUIT
            assertThat(sink.awaitAllSessionsClosed(WAIT).getFirst().commandGroups())
                    .extracting(
                            group -> group.stream().map(c -> c.split(" ")[0]).toList())
                    .containsExactly(
                            List.of("EHLO"),
                            List.of("MAIL", "RCPT", "DATA", "MAIL", "RCPT", "DATA", "MAIL", "RCPT", "DATA"),
                            List.of("QUIT"));
        }
    }

    @Test
    void contentLargerThanOneWriteStillPrecedesTheNextMessagesCommandsIntact() {
        String big = ("x".repeat(998) + "\r\n").repeat(200); // 200 KB, more than one write
        try (ScriptedSmtpServer sink =
                ScriptedSmtpServer.builder().pipelining(true).start()) {
            List<DeliveryResult> results = client.deliver(
                    source(14),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(message("m1", "a@example.com", big), message("m2", "b@example.com", "two\r\n")));

            assertThat(codes(results)).containsExactly(250, 250);
            assertThat(sink.awaitMessages(2, WAIT))
                    .extracting(ReceivedMessage::text)
                    .containsExactly(big, "two\r\n");
        }
    }

    @Test
    void messageRefusedBeforeSendingBetweenTwoOthersLeavesBothDelivered() {
        try (ScriptedSmtpServer sink =
                ScriptedSmtpServer.builder().pipelining(true).start()) {
            List<DeliveryResult> results = client.deliver(
                    source(14),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(
                            message("m1", "a@example.com", "one\r\n"),
                            message("m2", "evil@example.com>\r\nRSET", "x\r\n"),
                            message("m3", "c@example.com", "three\r\n")));

            assertThat(codes(results)).containsExactly(250, 501, 250);
            assertThat(sink.awaitMessages(2, WAIT))
                    .extracting(ReceivedMessage::text)
                    .containsExactly("one\r\n", "three\r\n");
        }
    }

    @Test
    void serviceClosingAtEndOfDataOfAPipelinedMessageLeavesTheNextNotAttempted() {
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.builder()
                .pipelining(true)
                .rule(SmtpRule.at(SmtpStage.DATA_END).firstTimes(1).replyThenDrop(421, "4.7.0 closing"))
                .start()) {
            List<DeliveryResult> results = client.deliver(
                    source(14),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(
                            message("m1", "a@example.com", "one\r\n"),
                            message("m2", "b@example.com", "two\r\n"),
                            message("m3", "c@example.com", "three\r\n")));

            assertThat(results.getFirst().recipients())
                    .extracting(r -> r.reply().toString())
                    .containsExactly("421 4.7.0 closing");
            // m2's commands went out with m1's content, but its content never did: not attempted
            assertThat(results.subList(1, 3))
                    .containsExactly(DeliveryResult.notAttempted("m2"), DeliveryResult.notAttempted("m3"));
            assertThat(sink.awaitAllSessionsClosed(WAIT).getFirst().verbs()).doesNotContain("QUIT");
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void withoutPipeliningEachCommandWaitsForItsReply() {
        try (ScriptedSmtpServer sink =
                ScriptedSmtpServer.builder().pipelining(false).start()) {
            List<DeliveryResult> results = client.deliver(
                    source(15),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(message("m1", List.of("a@example.com", "b@example.com"), "body\r\n")));

            assertThat(codes(results)).containsExactly(250, 250);
            SmtpSessionRecord session = sink.awaitAllSessionsClosed(WAIT).getFirst();
            assertThat(session.commandGroups())
                    .allSatisfy(group -> assertThat(group).hasSize(1));
            assertThat(session.verbs()).containsExactly("EHLO", "MAIL", "RCPT", "RCPT", "DATA", "QUIT");
        }
    }

    @Test
    void manyRecipientsArePipelinedInRoundsOfAHundredCommands() {
        List<String> recipients = IntStream.rangeClosed(1, 250)
                .mapToObj(i -> "r" + i + "@example.com")
                .toList();
        try (ScriptedSmtpServer sink =
                ScriptedSmtpServer.builder().pipelining(true).start()) {
            List<DeliveryResult> results = client.deliver(
                    source(14),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(message("m1", recipients, "body\r\n")));

            assertThat(codes(results)).hasSize(250).containsOnly(250);
            assertThat(sink.awaitMessages(1, WAIT).getFirst().recipients()).isEqualTo(recipients);
            assertThat(sink.awaitAllSessionsClosed(WAIT).getFirst().commandGroups())
                    .extracting(List::size)
                    .containsExactly(1, MailTransaction.PIPELINE_WINDOW, MailTransaction.PIPELINE_WINDOW, 52, 1);
        }
    }

    // ---- per-recipient and per-message replies ---------------------------------------------

    @ParameterizedTest(name = "pipelining={0}")
    @ValueSource(booleans = {true, false})
    void eachRecipientGetsItsOwnReplyInOneTransaction(boolean pipelining) {
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.builder()
                .pipelining(pipelining)
                .rejectRecipient("nobody@example.com", 550, "5.1.1 no such user")
                .rule(SmtpRule.at(SmtpStage.RCPT)
                        .matching("busy@example.com")
                        .reply(451, "4.2.1 mailbox busy, try later"))
                .start()) {
            List<DeliveryResult> results = client.deliver(
                    source(16),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(message(
                            "m1", List.of("ok@example.com", "nobody@example.com", "busy@example.com"), "hi\r\n")));

            assertThat(results.getFirst().recipients())
                    .extracting(RecipientResult::recipient, r -> r.reply().toString())
                    .containsExactly(
                            tuple("ok@example.com", "250 2.0.0 Ok: queued as 1"),
                            tuple("nobody@example.com", "550 5.1.1 no such user"),
                            tuple("busy@example.com", "451 4.2.1 mailbox busy, try later"));
            assertThat(sink.awaitMessages(1, WAIT).getFirst().recipients()).containsExactly("ok@example.com");
        }
    }

    @Test
    void tempFailureAtEndOfDataDefersEveryAcceptedRecipientAndTheNextMessageStillGoes() {
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.builder()
                .rule(SmtpRule.at(SmtpStage.DATA_END).firstTimes(1).reply(451, "4.3.0 try again later"))
                .start()) {
            List<DeliveryResult> results = client.deliver(
                    source(17),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(
                            message("m1", List.of("a@example.com", "b@example.com"), "one\r\n"),
                            message("m2", "c@example.com", "two\r\n")));

            assertThat(results.get(0).recipients())
                    .extracting(r -> r.reply().toString())
                    .containsExactly("451 4.3.0 try again later", "451 4.3.0 try again later");
            assertThat(codes(results.subList(1, 2))).containsExactly(250);
            assertThat(sink.awaitMessages(1, WAIT))
                    .extracting(ReceivedMessage::text)
                    .containsExactly("two\r\n");
            assertThat(sink.awaitAllSessionsClosed(WAIT).getFirst().verbs()).doesNotContain("RSET");
        }
    }

    @ParameterizedTest(name = "pipelining={0}")
    @ValueSource(booleans = {true, false})
    void permanentFailureAtMailBouncesEveryRecipientOfThatMessage(boolean pipelining) {
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.builder()
                .pipelining(pipelining)
                .rule(SmtpRule.at(SmtpStage.MAIL)
                        .matching("blocked@poolmta.test")
                        .reply(550, "5.7.1 sender blocked"))
                .start()) {
            OutboundMessage blocked = new OutboundMessage(
                    "m1", "blocked@poolmta.test", List.of("a@example.com", "b@example.com"), bytes("x\r\n"));

            List<DeliveryResult> results = client.deliver(
                    source(18),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(blocked, message("m2", "c@example.com", "two\r\n")));

            assertThat(results.get(0).recipients())
                    .extracting(r -> r.reply().toString())
                    .containsExactly("550 5.7.1 sender blocked", "550 5.7.1 sender blocked");
            assertThat(codes(results.subList(1, 2))).containsExactly(250);
            assertThat(sink.awaitMessages(1, WAIT))
                    .extracting(ReceivedMessage::text)
                    .containsExactly("two\r\n");
            if (!pipelining) {
                assertThat(sink.awaitAllSessionsClosed(WAIT).getFirst().verbs())
                        .containsExactly("EHLO", "MAIL", "MAIL", "RCPT", "DATA", "QUIT");
            }
        }
    }

    @Test
    void whenNoRecipientIsAcceptedDataIsSkippedAndTheNextTransactionStartsWithRset() {
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.builder()
                .pipelining(false)
                .rejectRecipient("nobody@example.com", 550, "5.1.1 no such user")
                .start()) {
            List<DeliveryResult> results = client.deliver(
                    source(19),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(
                            message("m1", "nobody@example.com", "one\r\n"),
                            message("m2", "ok@example.com", "two\r\n")));

            assertThat(codes(results)).containsExactly(550, 250);
            assertThat(sink.awaitAllSessionsClosed(WAIT).getFirst().verbs())
                    .containsExactly("EHLO", "MAIL", "RCPT", "RSET", "MAIL", "RCPT", "DATA", "QUIT");
        }
    }

    @Test
    void pipelinedTransactionWithEveryRecipientRefusedIsResetBeforeTheNext() {
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.builder()
                .pipelining(true)
                .rejectRecipient("nobody@example.com", 550, "5.1.1 no such user")
                .start()) {
            List<DeliveryResult> results = client.deliver(
                    source(19),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(
                            message("m1", "nobody@example.com", "one\r\n"),
                            message("m2", "ok@example.com", "two\r\n")));

            assertThat(codes(results)).containsExactly(550, 250);
            assertThat(sink.awaitMessages(1, WAIT))
                    .extracting(ReceivedMessage::text)
                    .containsExactly("two\r\n");
            assertThat(sink.awaitAllSessionsClosed(WAIT).getFirst().verbs())
                    .containsExactly("EHLO", "MAIL", "RCPT", "DATA", "RSET", "MAIL", "RCPT", "DATA", "QUIT");
        }
    }

    @Test
    void messageOverTheAnnouncedSizeLimitBouncesWithoutBeingSent() {
        try (ScriptedSmtpServer sink =
                ScriptedSmtpServer.builder().sizeLimit(100).start()) {
            List<DeliveryResult> results = client.deliver(
                    source(20),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(
                            message("big", "a@example.com", "x".repeat(500) + "\r\n"),
                            message("small", "a@example.com", "small\r\n")));

            assertThat(results.getFirst().recipients().getFirst().reply().toString())
                    .startsWith("552 5.3.4 message size 502");
            assertThat(codes(results.subList(1, 2))).containsExactly(250);
            assertThat(sink.awaitAllSessionsClosed(WAIT).getFirst().verbs())
                    .containsExactly("EHLO", "MAIL", "RCPT", "DATA", "QUIT");
        }
    }

    @Test
    void addressThatCouldSplitTheCommandLineIsRefusedWithoutBeingSent() {
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.acceptingAll()) {
            List<DeliveryResult> results = client.deliver(
                    source(20),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(message("m1", List.of("ok@example.com", "evil@example.com>\r\nRSET"), "x\r\n")));

            assertThat(results.getFirst().recipients())
                    .extracting(r -> r.reply().code())
                    .containsExactly(250, 501);
            assertThat(sink.awaitAllSessionsClosed(WAIT).getFirst().commands())
                    .noneMatch(c -> c.contains("evil"))
                    .doesNotContain("RSET");
        }
    }

    // ---- hosts ------------------------------------------------------------------------------

    @Test
    void refusedFirstHostIsSkippedAndTheSecondDelivers() throws IOException {
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.acceptingAll()) {
            NextHop refused = refusedHop();

            List<DeliveryResult> results = client.deliver(
                    source(21),
                    List.of(refused, sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(message("m1", "a@example.com", "x\r\n")));

            assertThat(codes(results)).containsExactly(250);
            assertThat(results.getFirst().remoteAddress()).contains("127.0.0.1:" + sink.port());
            assertThat(sink.awaitMessages(1, WAIT).getFirst().sourceAddress()).isEqualTo("127.0.0.21");
        }
    }

    @Test
    void noReachableHostDefersTheFirstMessageNamingTheHostsAndLeavesTheRestNotAttempted() throws IOException {
        NextHop first = refusedHop();
        NextHop second = refusedHop();

        List<DeliveryResult> results = client.deliver(
                source(22),
                List.of(first, second),
                TlsPolicy.OPTIONAL,
                List.of(
                        message("m1", List.of("a@example.com", "b@example.com"), "x\r\n"),
                        message("m2", "c@example.com", "y\r\n"),
                        message("m3", "d@example.com", "z\r\n")));

        assertThat(results).extracting(DeliveryResult::messageId).containsExactly("m1", "m2", "m3");
        assertThat(results).allSatisfy(r -> {
            assertThat(r.remoteAddress()).isEmpty();
            assertThat(r.tls()).isFalse();
        });
        assertThat(results).extracting(DeliveryResult::attempted).containsExactly(true, false, false);
        assertThat(results.getFirst().recipients()).hasSize(2).allSatisfy(r -> {
            assertThat(r.reply().code()).isEqualTo(421);
            assertThat(r.reply().text())
                    .startsWith("4.4.1 ")
                    .contains(first + ": connection refused", second + ": connection refused");
        });
        assertThat(results.subList(1, 3))
                .containsExactly(DeliveryResult.notAttempted("m2"), DeliveryResult.notAttempted("m3"));
    }

    @Test
    void hostThatGreetsWith554IsLeftForTheNext() {
        try (ScriptedSmtpServer unwilling = ScriptedSmtpServer.builder()
                        .greeting(554, "5.7.1 no service for you")
                        .start();
                ScriptedSmtpServer sink = ScriptedSmtpServer.acceptingAll()) {
            List<DeliveryResult> results = client.deliver(
                    source(23),
                    List.of(unwilling.nextHop(), sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(message("m1", "a@example.com", "x\r\n")));

            assertThat(codes(results)).containsExactly(250);
            assertThat(unwilling.awaitAllSessionsClosed(WAIT).getFirst().verbs())
                    .containsExactly("QUIT");
        }
    }

    @Test
    void onlyHostGreetingWith554DefersWithItsWords() {
        try (ScriptedSmtpServer unwilling = ScriptedSmtpServer.builder()
                .greeting(554, "5.7.1 no service for you")
                .start()) {
            List<DeliveryResult> results = client.deliver(
                    source(23),
                    List.of(unwilling.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(message("m1", "a@example.com", "x\r\n")));

            SmtpReply reply = results.getFirst().recipients().getFirst().reply();
            assertThat(reply.transientFailure()).isTrue();
            assertThat(reply.text()).contains("greeted with 554 5.7.1 no service for you");
        }
    }

    @Test
    void greetingTimeoutIsHonoured() {
        SmtpClient impatient = new SmtpClient(QUICK.withCommandTimeout(Duration.ofMillis(300)));
        try (ScriptedSmtpServer silent =
                ScriptedSmtpServer.builder().silentGreeting().start()) {
            List<DeliveryResult> results = assertTimeoutPreemptively(
                    Duration.ofSeconds(5),
                    () -> impatient.deliver(
                            source(24),
                            List.of(silent.nextHop()),
                            TlsPolicy.OPTIONAL,
                            List.of(message("m1", "a@example.com", "x\r\n"))));

            SmtpReply reply = results.getFirst().recipients().getFirst().reply();
            assertThat(reply.code()).isEqualTo(421);
            assertThat(reply.text()).contains(silent.nextHop() + ": timeout after 300ms during greeting");
            assertThat(silent.awaitAllSessionsClosed(WAIT))
                    .singleElement()
                    .satisfies(s -> assertThat(s.commands()).isEmpty());
        }
    }

    @Test
    void silentFirstHostIsLeftForTheNextAfterTheGreetingTimeout() {
        SmtpClient impatient = new SmtpClient(QUICK.withCommandTimeout(Duration.ofMillis(300)));
        try (ScriptedSmtpServer silent =
                        ScriptedSmtpServer.builder().silentGreeting().start();
                ScriptedSmtpServer sink = ScriptedSmtpServer.acceptingAll()) {
            List<DeliveryResult> results = impatient.deliver(
                    source(24),
                    List.of(silent.nextHop(), sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(message("m1", "a@example.com", "x\r\n")));

            assertThat(codes(results)).containsExactly(250);
            assertThat(results.getFirst().remoteAddress()).contains("127.0.0.1:" + sink.port());
        }
    }

    @Test
    void serverRefusingEhloIsGreetedWithHelo() {
        try (ScriptedSmtpServer old = ScriptedSmtpServer.builder().ehlo(false).start()) {
            List<DeliveryResult> results = client.deliver(
                    source(25),
                    List.of(old.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(message("m1", "a@example.com", "x\r\n")));

            assertThat(codes(results)).containsExactly(250);
            assertThat(old.awaitAllSessionsClosed(WAIT).getFirst().commands())
                    .containsExactly(
                            "EHLO mta25.poolmta.test",
                            "HELO mta25.poolmta.test",
                            "MAIL FROM:<sender@poolmta.test>",
                            "RCPT TO:<a@example.com>",
                            "DATA",
                            "QUIT");
        }
    }

    @Test
    void listenerHearsFailedHostsTheSessionAndEveryResult() throws IOException {
        List<String> heard = new CopyOnWriteArrayList<>();
        SmtpClient observed = new SmtpClient(QUICK, new SmtpClientListener() {
            @Override
            public void hostFailed(SourceAddress source, String host, SmtpReply reason) {
                heard.add("failed " + host + " " + reason);
            }

            @Override
            public void connected(SourceAddress source, String remoteAddress, boolean tls) {
                heard.add("connected " + source.ip() + " -> " + remoteAddress);
            }

            @Override
            public void messageDone(SourceAddress source, DeliveryResult result) {
                heard.add("done " + result.messageId());
            }
        });
        NextHop refused = refusedHop();
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.acceptingAll()) {
            observed.deliver(
                    source(25),
                    List.of(refused, sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(message("m1", "a@example.com", "x\r\n"), message("m2", "b@example.com", "y\r\n")));

            assertThat(heard)
                    .containsExactly(
                            "failed " + refused + " 421 4.4.1 " + refused + ": connection refused",
                            "connected 127.0.0.25 -> 127.0.0.1:" + sink.port(),
                            "done m1",
                            "done m2");
        }
    }

    /**
     * A listener that never accepts, its backlog full: the kernel drops further connection
     * attempts, so a connect hangs until the client's connect timeout (kept by the watchdog, the
     * socket connected without a timeout argument) ends it and the next host is tried.
     */
    @Test
    void connectTimeoutIsHonouredAndTheNextHostTried() throws IOException {
        List<String> heard = new CopyOnWriteArrayList<>();
        SmtpClient impatient =
                new SmtpClient(QUICK.withConnectTimeout(Duration.ofMillis(300)), new SmtpClientListener() {
                    @Override
                    public void hostFailed(SourceAddress source, String host, SmtpReply reason) {
                        heard.add(reason.toString());
                    }
                });
        List<java.net.Socket> backlog = new java.util.ArrayList<>();
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
                ScriptedSmtpServer sink = ScriptedSmtpServer.acceptingAll()) {
            for (int i = 0; i < 20; i++) { // fill the backlog until a connection no longer completes
                java.net.Socket filler = new java.net.Socket();
                backlog.add(filler);
                try {
                    filler.connect(full.getLocalSocketAddress(), 200);
                } catch (java.net.SocketTimeoutException hangs) {
                    break;
                }
            }
            NextHop hanging = new NextHop("127.0.0.1", full.getLocalPort());
            long start = System.nanoTime();
            List<DeliveryResult> results = assertTimeoutPreemptively(
                    Duration.ofSeconds(5),
                    () -> impatient.deliver(
                            source(26),
                            List.of(hanging, sink.nextHop()),
                            TlsPolicy.OPTIONAL,
                            List.of(message("m1", "a@example.com", "x\r\n"))));

            assertThat(codes(results)).containsExactly(250);
            assertThat(heard).containsExactly("421 4.4.1 " + hanging + ": connect timeout after 300ms");
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
        } finally {
            for (java.net.Socket filler : backlog) {
                filler.close();
            }
        }
    }

    @Test
    void listenerHearsNotAttemptedMessagesToo() throws IOException {
        List<DeliveryResult> done = new CopyOnWriteArrayList<>();
        SmtpClient observed = new SmtpClient(QUICK, new SmtpClientListener() {
            @Override
            public void messageDone(SourceAddress source, DeliveryResult result) {
                done.add(result);
            }
        });

        List<DeliveryResult> results = observed.deliver(
                source(25),
                List.of(refusedHop()),
                TlsPolicy.OPTIONAL,
                List.of(message("m1", "a@example.com", "x\r\n"), message("m2", "b@example.com", "y\r\n")));

        assertThat(done).isEqualTo(results);
        assertThat(done)
                .extracting(DeliveryResult::messageId, DeliveryResult::attempted)
                .containsExactly(tuple("m1", true), tuple("m2", false));
    }

    // ---- broken connections -----------------------------------------------------------------

    /** The messages after the one whose transaction broke the connection were never tried: no reply is made up for them. */
    @Test
    void connectionDroppedAtDataDefersThatMessageAndLeavesTheRestNotAttempted() {
        try (ScriptedSmtpServer sink =
                ScriptedSmtpServer.builder().dropAt(SmtpStage.DATA).start()) {
            List<DeliveryResult> results = client.deliver(
                    source(26),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(
                            message("m1", List.of("a@example.com", "b@example.com"), "one\r\n"),
                            message("m2", "c@example.com", "two\r\n"),
                            message("m3", "d@example.com", "three\r\n")));

            assertThat(results).extracting(DeliveryResult::messageId).containsExactly("m1", "m2", "m3");
            DeliveryResult first = results.getFirst();
            assertThat(first.attempted()).isTrue();
            assertThat(first.remoteAddress()).contains("127.0.0.1:" + sink.port());
            assertThat(first.recipients())
                    .hasSize(2)
                    .allSatisfy(
                            r -> assertThat(r.reply().toString()).isEqualTo("421 4.4.2 connection lost during DATA"));
            assertThat(results.subList(1, 3)).allSatisfy(r -> {
                assertThat(r.attempted()).isFalse();
                assertThat(r.recipients()).isEmpty();
                assertThat(r.remoteAddress()).isEmpty();
            });
            assertThat(sink.awaitAllSessionsClosed(WAIT))
                    .singleElement()
                    .satisfies(s -> assertThat(s.verbs()).containsExactly("EHLO", "MAIL", "RCPT", "RCPT", "DATA"));
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void connectionLostOnRsetLeavesTheNextMessagesNotAttempted() {
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.builder()
                .pipelining(false)
                .rejectRecipient("nobody@example.com", 550, "5.1.1 no such user")
                .rule(SmtpRule.at(SmtpStage.RSET).drop())
                .start()) {
            List<DeliveryResult> results = client.deliver(
                    source(26),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(
                            message("m1", "nobody@example.com", "one\r\n"),
                            message("m2", "b@example.com", "two\r\n"),
                            message("m3", "c@example.com", "three\r\n")));

            assertThat(results).extracting(DeliveryResult::attempted).containsExactly(true, false, false);
            assertThat(results.getFirst().recipients())
                    .extracting(r -> r.reply().toString())
                    .containsExactly("550 5.1.1 no such user");
            assertThat(sink.awaitAllSessionsClosed(WAIT))
                    .singleElement()
                    .satisfies(s -> assertThat(s.verbs()).containsExactly("EHLO", "MAIL", "RCPT", "RSET"));
            assertThat(sink.messages()).isEmpty();
        }
    }

    @Test
    void connectionDroppedMidBatchKeepsWhatWasDeliveredDefersTheBrokenOneAndLeavesTheRestNotAttempted() {
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.builder()
                .rule(SmtpRule.at(SmtpStage.MAIL)
                        .matching("second@poolmta.test")
                        .drop())
                .start()) {
            List<DeliveryResult> results = client.deliver(
                    source(27),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(
                            message("m1", "a@example.com", "one\r\n"),
                            new OutboundMessage(
                                    "m2", "second@poolmta.test", List.of("b@example.com"), bytes("two\r\n")),
                            message("m3", "c@example.com", "three\r\n")));

            assertThat(results).extracting(DeliveryResult::attempted).containsExactly(true, true, false);
            assertThat(codes(results)).containsExactly(250, 421);
            assertThat(results.get(1).recipients().getFirst().reply().text())
                    .isEqualTo("4.4.2 connection lost during MAIL FROM");
            assertThat(results.get(2)).isEqualTo(DeliveryResult.notAttempted("m3"));
            assertThat(sink.awaitMessages(1, WAIT))
                    .extracting(ReceivedMessage::text)
                    .containsExactly("one\r\n");
        }
    }

    @Test
    void connectionDroppedMidContentDefersAndNothingIsRecorded() {
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.builder()
                .rule(SmtpRule.at(SmtpStage.DATA).firstTimes(1).dropInContent())
                .start()) {
            List<DeliveryResult> results = client.deliver(
                    source(39),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(message("m1", List.of("a@example.com", "b@example.com"), "line one\r\nline two\r\n")));

            assertThat(results.getFirst().recipients())
                    .extracting(r -> r.reply().code())
                    .containsOnly(421);
            assertThat(sink.awaitAllSessionsClosed(WAIT)).hasSize(1);
            assertThat(sink.messages()).isEmpty();
            assertThat(sink.verdicts())
                    .extracting(RecipientVerdict::recipient, RecipientVerdict::stage, RecipientVerdict::kind)
                    .containsExactly(
                            tuple("a@example.com", SmtpStage.DATA, RecipientVerdict.Kind.DROPPED),
                            tuple("b@example.com", SmtpStage.DATA, RecipientVerdict.Kind.DROPPED));
        }
    }

    @Test
    void lostReplyToEndOfDataDefersAlthoughTheReceiverHasTheMessage() {
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.builder()
                .rejectRecipient("nobody@example.com", 550, "5.1.1 no such user")
                .rule(SmtpRule.at(SmtpStage.DATA_END).firstTimes(1).acceptThenDrop())
                .start()) {
            List<DeliveryResult> results = client.deliver(
                    source(40),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(
                            message("m1", List.of("a@example.com", "nobody@example.com"), "one\r\n"),
                            message("m2", "b@example.com", "two\r\n")));

            assertThat(results.getFirst().recipients())
                    .extracting(r -> r.reply().toString())
                    .containsExactly(
                            "421 4.4.2 connection lost during end of DATA (the message may have been delivered)",
                            "550 5.1.1 no such user");
            // m2's content was never sent (its commands went out with m1's content): it is not said to
            // "may have been delivered"
            assertThat(results.get(1)).isEqualTo(DeliveryResult.notAttempted("m2"));
            assertThat(sink.awaitMessages(1, WAIT))
                    .singleElement()
                    .satisfies(m -> assertThat(m.recipients()).containsExactly("a@example.com"));
            assertThat(sink.verdicts())
                    .extracting(
                            RecipientVerdict::recipient,
                            RecipientVerdict::stage,
                            RecipientVerdict::kind,
                            RecipientVerdict::code)
                    .containsExactly(
                            tuple("nobody@example.com", SmtpStage.RCPT, RecipientVerdict.Kind.REFUSED, 550),
                            tuple("a@example.com", SmtpStage.DATA_END, RecipientVerdict.Kind.REPLY_LOST, 0));
        }
    }

    @Test
    void serviceClosing421DefersTheMessageLeavesTheRestNotAttemptedAndSendsNoQuit() {
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.builder()
                .pipelining(false)
                .rule(SmtpRule.at(SmtpStage.RCPT)
                        .matching("b@example.com")
                        .replyThenDrop(421, "4.7.0 too many messages, closing"))
                .start()) {
            List<DeliveryResult> results = client.deliver(
                    source(28),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(
                            message("m1", List.of("a@example.com", "b@example.com", "c@example.com"), "one\r\n"),
                            message("m2", "d@example.com", "two\r\n")));

            assertThat(results.getFirst().recipients())
                    .extracting(r -> r.reply().toString())
                    .containsOnly("421 4.7.0 too many messages, closing")
                    .hasSize(3);
            assertThat(results.get(1)).isEqualTo(DeliveryResult.notAttempted("m2"));
            assertThat(sink.awaitAllSessionsClosed(WAIT).getFirst().verbs())
                    .containsExactly("EHLO", "MAIL", "RCPT", "RCPT");
        }
    }

    @Test
    void slowReplyToEndOfDataTimesOutAndDefers() {
        SmtpClient impatient = new SmtpClient(QUICK.withDataEndTimeout(Duration.ofMillis(300)));
        try (ScriptedSmtpServer slow = ScriptedSmtpServer.builder()
                .rule(SmtpRule.at(SmtpStage.DATA_END)
                        .after(Duration.ofSeconds(3))
                        .proceed())
                .start()) {
            List<DeliveryResult> results = assertTimeoutPreemptively(
                    Duration.ofSeconds(5),
                    () -> impatient.deliver(
                            source(29),
                            List.of(slow.nextHop()),
                            TlsPolicy.OPTIONAL,
                            List.of(
                                    message("m1", "a@example.com", "one\r\n"),
                                    message("m2", "b@example.com", "two\r\n"))));

            assertThat(results.getFirst().recipients())
                    .extracting(r -> r.reply().toString())
                    .containsExactly(
                            "421 4.4.2 timeout after 300ms during end of DATA (the message may have been delivered)");
            assertThat(results.get(1)).isEqualTo(DeliveryResult.notAttempted("m2"));
        }
    }

    // ---- TLS --------------------------------------------------------------------------------

    @Test
    void startTlsIsUsedWhenOffered() {
        try (ScriptedSmtpServer sink =
                ScriptedSmtpServer.builder().startTls(true).start()) {
            List<DeliveryResult> results = client.deliver(
                    source(30),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(message("m1", "a@example.com", "secret\r\n")));

            assertThat(codes(results)).containsExactly(250);
            assertThat(results.getFirst().tls()).isTrue();
            ReceivedMessage got = sink.awaitMessages(1, WAIT).getFirst();
            assertThat(got.tls()).isTrue();
            assertThat(got.sourceAddress()).isEqualTo("127.0.0.30");
            SmtpSessionRecord session = sink.awaitAllSessionsClosed(WAIT).getFirst();
            assertThat(session.tls()).isTrue();
            assertThat(session.verbs()).containsExactly("EHLO", "STARTTLS", "EHLO", "MAIL", "RCPT", "DATA", "QUIT");
        }
    }

    @Test
    void requiredTlsIsUsedWhenOffered() {
        try (ScriptedSmtpServer sink =
                ScriptedSmtpServer.builder().startTls(true).start()) {
            List<DeliveryResult> results = client.deliver(
                    source(31),
                    List.of(sink.nextHop()),
                    TlsPolicy.REQUIRE,
                    List.of(message("m1", "a@example.com", "secret\r\n")));

            assertThat(codes(results)).containsExactly(250);
            assertThat(sink.awaitMessages(1, WAIT).getFirst().tls()).isTrue();
        }
    }

    @Test
    void requiredTlsNotOfferedSendsNothingAndDefers() {
        try (ScriptedSmtpServer clear =
                ScriptedSmtpServer.builder().startTls(false).start()) {
            List<DeliveryResult> results = client.deliver(
                    source(32),
                    List.of(clear.nextHop()),
                    TlsPolicy.REQUIRE,
                    List.of(
                            message("m1", List.of("a@example.com", "b@example.com"), "secret\r\n"),
                            message("m2", "c@example.com", "secret too\r\n")));

            assertThat(results.getFirst().recipients()).hasSize(2).allSatisfy(r -> {
                assertThat(r.reply().code()).isEqualTo(421);
                assertThat(r.reply().text()).contains("TLS required but not offered by host");
            });
            assertThat(results.get(1)).isEqualTo(DeliveryResult.notAttempted("m2"));
            assertThat(clear.awaitAllSessionsClosed(WAIT).getFirst().verbs()).containsExactly("EHLO", "QUIT");
            assertThat(clear.messages()).isEmpty();
        }
    }

    @Test
    void requiredTlsWithAFailedHandshakeSendsNothingAndDefers() {
        try (ScriptedSmtpServer broken = ScriptedSmtpServer.builder()
                .startTls(true)
                .rule(SmtpRule.at(SmtpStage.STARTTLS).replyThenDrop(220, "2.0.0 go ahead"))
                .start()) {
            List<DeliveryResult> results = client.deliver(
                    source(33),
                    List.of(broken.nextHop()),
                    TlsPolicy.REQUIRE,
                    List.of(message("m1", "a@example.com", "secret\r\n")));

            SmtpReply reply = results.getFirst().recipients().getFirst().reply();
            assertThat(reply.code()).isEqualTo(421);
            assertThat(reply.text()).contains("TLS handshake failed");
            assertThat(broken.awaitAllSessionsClosed(WAIT))
                    .hasSize(1)
                    .allSatisfy(s -> assertThat(s.verbs()).doesNotContain("MAIL"));
        }
    }

    @Test
    void optionalTlsWithAFailedHandshakeRetriesInClear() {
        try (ScriptedSmtpServer flaky = ScriptedSmtpServer.builder()
                .startTls(true)
                .rule(SmtpRule.at(SmtpStage.STARTTLS).replyThenDrop(220, "2.0.0 go ahead"))
                .start()) {
            List<DeliveryResult> results = client.deliver(
                    source(34),
                    List.of(flaky.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(message("m1", "a@example.com", "hello\r\n")));

            assertThat(codes(results)).containsExactly(250);
            assertThat(results.getFirst().tls()).isFalse();
            assertThat(flaky.awaitMessages(1, WAIT).getFirst().tls()).isFalse();
            assertThat(flaky.awaitAllSessionsClosed(WAIT))
                    .extracting(SmtpSessionRecord::verbs)
                    .containsExactly(List.of("EHLO", "STARTTLS"), List.of("EHLO", "MAIL", "RCPT", "DATA", "QUIT"));
        }
    }

    // ---- content ----------------------------------------------------------------------------

    @Test
    void linesStartingWithADotArriveIntact() {
        String content = "Subject: dots\r\n\r\n.hidden\r\n..two\r\n.\r\nlast\r\n";
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.acceptingAll()) {
            client.deliver(
                    source(35),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(message("m1", "a@example.com", content)));

            ReceivedMessage got = sink.awaitMessages(1, WAIT).getFirst();
            assertThat(got.text()).isEqualTo(content);
            assertThat(new String(got.wireData(), StandardCharsets.US_ASCII))
                    .isEqualTo("Subject: dots\r\n\r\n..hidden\r\n...two\r\n..\r\nlast\r\n");
        }
    }

    @Test
    void bareLineFeedsArriveAsCrLf() {
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.acceptingAll()) {
            client.deliver(
                    source(36),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(message("m1", "a@example.com", "Subject: lf\n\nline one\nline two")));

            assertThat(sink.awaitMessages(1, WAIT).getFirst().text())
                    .isEqualTo("Subject: lf\r\n\r\nline one\r\nline two\r\n");
        }
    }

    @Test
    void eightBitUtf8BodyArrivesByteExactWithBody8BitMime() {
        byte[] content =
                "Subject: =?UTF-8?Q?Gr=C3=BC=C3=9Fe?=\r\nContent-Type: text/plain; charset=UTF-8\r\n\r\nGrüße, 日本語, emoji 📬\r\n"
                        .getBytes(StandardCharsets.UTF_8);
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.acceptingAll()) {
            client.deliver(
                    source(37),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(new OutboundMessage("m1", FROM, List.of("a@example.com"), content)));

            ReceivedMessage got = sink.awaitMessages(1, WAIT).getFirst();
            assertThat(got.data()).isEqualTo(content);
            assertThat(got.mailParameters()).containsExactly("SIZE=" + content.length, "BODY=8BITMIME");
        }
    }

    @Test
    void serverWithout8BitMimeOrSizeGetsNoMailParameters() {
        try (ScriptedSmtpServer sink = ScriptedSmtpServer.builder()
                .eightBitMime(false)
                .sizeLimit(ScriptedSmtpServer.NO_SIZE)
                .start()) {
            client.deliver(
                    source(38),
                    List.of(sink.nextHop()),
                    TlsPolicy.OPTIONAL,
                    List.of(message("m1", "a@example.com", "Grüße\r\n")));

            ReceivedMessage got = sink.awaitMessages(1, WAIT).getFirst();
            assertThat(got.mailParameters()).isEmpty();
            assertThat(got.text()).isEqualTo("Grüße\r\n");
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static SourceAddress source(int lastOctet) {
        return new SourceAddress(Ipv4.parse("127.0.0." + lastOctet), "mta" + lastOctet + ".poolmta.test");
    }

    private static OutboundMessage message(String id, String recipient, String content) {
        return message(id, List.of(recipient), content);
    }

    private static OutboundMessage message(String id, List<String> recipients, String content) {
        return new OutboundMessage(id, FROM, recipients, bytes(content));
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** Every recipient's reply code, message after message. */
    private static List<Integer> codes(List<DeliveryResult> results) {
        return results.stream()
                .flatMap(r -> r.recipients().stream())
                .map(r -> r.reply().code())
                .toList();
    }

    /** A loopback port nobody listens on: connecting to it is refused. */
    private static NextHop refusedHop() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return new NextHop("127.0.0.1", probe.getLocalPort());
        }
    }
}
