package io.poolmta.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.delivery.smtp.DeliveryResult;
import io.poolmta.delivery.smtp.OutboundMessage;
import io.poolmta.delivery.smtp.RecipientResult;
import io.poolmta.delivery.smtp.SmtpClient;
import io.poolmta.delivery.smtp.SmtpClientSettings;
import io.poolmta.delivery.smtp.SmtpReply;
import io.poolmta.egress.SourceAddress;
import io.poolmta.feedback.FeedbackReport;
import io.poolmta.feedback.ReportParser;
import io.poolmta.ip.Ipv4;
import io.poolmta.message.TlsPolicy;
import io.poolmta.nexthop.NextHop;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provider simulator against PoolMTA's own SMTP client, each test one behaviour a provider
 * shows a sending IP. Time moves only when a test moves the clock; nothing sleeps: the simulator
 * counts before it replies, so once the client has its replies the counts are final.
 */
class ProviderSimulatorTest {
    private static final Instant MONDAY_9AM = Instant.parse("2025-03-03T09:00:00Z");
    private static final SmtpClientSettings SETTINGS = SmtpClientSettings.defaults()
            .withConnectTimeout(Duration.ofSeconds(5))
            .withCommandTimeout(Duration.ofSeconds(10))
            .withDataEndTimeout(Duration.ofSeconds(10));

    private final MutableClock clock = new MutableClock(MONDAY_9AM);
    private final SmtpClient client = new SmtpClient(SETTINGS);
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private int messageNumber;

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : toClose.reversed()) {
            c.close();
        }
    }

    // ---- hourly allowance ---------------------------------------------------------------------

    @Test
    void newIpIsThrottledAfterItsHourlyAllowanceWithGmailsOwnWords() throws IOException {
        ProviderSimulator gmail = start(ProviderProfile.gmailLike());
        assertThat(gmail.snapshot("127.0.0.11").allowance()).isEqualTo(new SendingLimits(60, 20, 3));

        List<RecipientResult> firstHour = new ArrayList<>();
        for (int connection = 0; connection < 3; connection++) {
            firstHour.addAll(send(gmail, 11, 20)); // 20 per connection: Gmail-like's per-connection allowance
        }
        List<DeliveryResult> over = deliver(gmail, 11, batch(5));

        assertThat(firstHour)
                .extracting(r -> r.reply().code())
                .containsOnly(250)
                .hasSize(60);
        SmtpReply throttle = over.getFirst().recipients().getFirst().reply();
        assertThat(throttle.code()).isEqualTo(421);
        assertThat(throttle.text())
                .startsWith("4.7.28 [127.0.0.11] Our system has detected an unusual rate of")
                .contains(
                        "unsolicited mail originating from your IP address",
                        "To protect our",
                        "has been temporarily 4.7.28 rate limited",
                        "UnsolicitedRateLimitError",
                        "gsmtp");
        // 421 closed the connection: the other four were never tried
        assertThat(over).extracting(DeliveryResult::attempted).containsExactly(true, false, false, false, false);
        assertThat(gmail.accepted("127.0.0.11")).isEqualTo(60);
        assertThat(gmail.throttled("127.0.0.11")).isEqualTo(1);
        SourceSnapshot snapshot = gmail.snapshot("127.0.0.11");
        assertThat(snapshot.rateLimited()).isEqualTo(1);
        assertThat(snapshot.acceptedThisHour()).isEqualTo(60);
        assertThat(snapshot.remainingThisHour()).isZero();
        assertThat(snapshot.ehloName()).contains("mta11.poolmta.test");
    }

    @Test
    void aSecondIpIsCountedSeparately() throws IOException {
        ProviderSimulator gmail = start(ProviderProfile.gmailLike().withNewIp(new SendingLimits(10, 20, 3)));

        List<RecipientResult> first = send(gmail, 11, 12);
        List<RecipientResult> second = send(gmail, 12, 7);

        // the 11th is throttled with 421, which closes the connection: the 12th is not attempted
        assertThat(codes(first)).containsExactly(250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 421);
        assertThat(second).extracting(r -> r.reply().code()).containsOnly(250).hasSize(7);
        assertThat(gmail.acceptedBySource()).isEqualTo(Map.of("127.0.0.11", 10L, "127.0.0.12", 7L));
        assertThat(gmail.throttledBySource()).isEqualTo(Map.of("127.0.0.11", 1L));
        assertThat(gmail.totalAccepted()).isEqualTo(17);
        assertThat(gmail.snapshot("127.0.0.12").remainingThisHour()).isEqualTo(3);
    }

    @Test
    void theAllowanceComesBackAnHourLater() throws IOException {
        ProviderSimulator gmail = start(ProviderProfile.gmailLike().withNewIp(new SendingLimits(10, 20, 3)));
        assertThat(codes(send(gmail, 11, 11))).endsWith(250, 421);
        assertThat(codes(send(gmail, 11, 1))).containsExactly(421);

        clock.advance(Duration.ofHours(1));

        assertThat(codes(send(gmail, 11, 11))).containsExactly(250, 250, 250, 250, 250, 250, 250, 250, 250, 250, 421);
        assertThat(gmail.accepted("127.0.0.11")).isEqualTo(20);
        assertThat(gmail.throttled("127.0.0.11")).isEqualTo(3);
    }

    @Test
    void outlookDefersEachRecipientWith4_7_650AndKeepsTheConnectionOpen() throws IOException {
        ProviderSimulator outlook = start(ProviderProfile.outlookLike().withNewIp(new SendingLimits(3, 10, 2)));

        List<RecipientResult> results = send(outlook, 13, 5);

        assertThat(codes(results)).containsExactly(250, 250, 250, 451, 451);
        assertThat(results.getLast().reply().text())
                .isEqualTo("4.7.650 The mail server [127.0.0.13] has been"
                        + " temporarily rate limited due to IP reputation. For e-mail delivery information, see"
                        + " https://postmaster.live.com (S775) [Name=Protocol Filter Agent][AGT=PFA]");
        assertThat(outlook.throttled("127.0.0.13")).isEqualTo(2);
    }

    @Test
    void yahooDefersWithTss04AndClosesTheConnection() throws IOException {
        ProviderSimulator yahoo = start(ProviderProfile.yahooLike().withNewIp(new SendingLimits(3, 10, 2)));

        List<RecipientResult> results = send(yahoo, 14, 5);

        assertThat(codes(results)).containsExactly(250, 250, 250, 421); // the 421 closed the connection: no 5th attempt
        assertThat(results.getLast().reply().text())
                .isEqualTo("4.7.0 [TSS04] Messages from 127.0.0.14 temporarily"
                        + " deferred due to unexpected volume or user complaints - 4.16.55.1;"
                        + " see https://postmaster.yahooinc.com/error-codes");
        assertThat(yahoo.throttled("127.0.0.14")).isEqualTo(1);
    }

    @Test
    void aConnectionCarriesOnlyItsAllowanceOfMessages() throws IOException {
        ProviderSimulator gmail = start(ProviderProfile.gmailLike());

        List<RecipientResult> results = send(gmail, 15, 22);

        assertThat(results.subList(0, 20)).extracting(r -> r.reply().code()).containsOnly(250);
        assertThat(results.get(20).reply())
                .isEqualTo(new SmtpReply(421, "4.7.0 Try again later, closing connection. (MAIL) - gsmtp"));
        assertThat(gmail.snapshot("127.0.0.15").connectionLimited()).isEqualTo(1);
        assertThat(codes(send(gmail, 15, 1))).containsExactly(250); // a new connection may go on
    }

    // ---- reputation ---------------------------------------------------------------------------

    /** New IP 10/h; established 1,000/h; a good day is 10 messages and adds 25; an idle day takes 10. */
    private static ProviderProfile quickToLearn() {
        return ProviderProfile.gmailLike()
                .withLimits(new SendingLimits(10, 1000, 10), new SendingLimits(1000, 1000, 10))
                .withReputation(new ReputationRules(10, 25, 10, 90));
    }

    @Test
    void daysOfGoodHistoryEarnALargerAllowanceThanANewIp() throws IOException {
        ProviderSimulator gmail = start(quickToLearn());
        for (int day = 0; day < 3; day++) {
            assertThat(codes(send(gmail, 21, 10))).containsOnly(250);
            clock.advance(Duration.ofDays(1));
        }

        SourceSnapshot known = gmail.snapshot("127.0.0.21");
        assertThat(known.reputation()).isEqualTo(75.0);
        assertThat(known.allowance().messagesPerHour()).isEqualTo(316); // 10 × 100^0.75
        assertThat(gmail.snapshot("127.0.0.22").reputation()).isZero();

        assertThat(send(gmail, 21, 40)).extracting(r -> r.reply().code()).containsOnly(250);
        assertThat(codes(send(gmail, 22, 40)).stream().filter(c -> c == 250)).hasSize(10);
        assertThat(gmail.snapshot("127.0.0.22").allowance().messagesPerHour()).isEqualTo(10);
    }

    @Test
    void volumeStoppingForDaysLowersTheReputationAgain() throws IOException {
        ProviderSimulator gmail = start(quickToLearn());
        for (int day = 0; day < 3; day++) {
            send(gmail, 23, 10);
            clock.advance(Duration.ofDays(1));
        }
        assertThat(gmail.snapshot("127.0.0.23").reputation()).isEqualTo(75.0);

        clock.advance(Duration.ofDays(5));

        SourceSnapshot rested = gmail.snapshot("127.0.0.23");
        assertThat(rested.reputation()).isEqualTo(25.0);
        assertThat(rested.allowance().messagesPerHour()).isEqualTo(32); // 10 × 100^0.25
        assertThat(codes(send(gmail, 23, 40)).stream().filter(c -> c == 250)).hasSize(32);

        clock.advance(Duration.ofDays(30));
        assertThat(gmail.snapshot("127.0.0.23").reputation()).isZero();
        assertThat(gmail.snapshot("127.0.0.23").allowance().messagesPerHour()).isEqualTo(10);
    }

    // ---- recipients ---------------------------------------------------------------------------

    @Test
    void unknownUsersAreRefusedWith550_5_1_1() {
        ProviderSimulator gmail = start(ProviderProfile.gmailLike());
        OutboundMessage message = new OutboundMessage(
                "m1",
                "sender@poolmta.test",
                List.of("alice@gmail.test", "unknown-bob@gmail.test", "Unknown@gmail.test"),
                content("hello"));

        List<RecipientResult> results =
                deliver(gmail, 16, List.of(message)).getFirst().recipients();

        assertThat(codes(results)).containsExactly(250, 550, 550);
        assertThat(results.get(1).reply().text())
                .startsWith("5.1.1 The email account that you tried to reach does not exist.")
                .contains("NoSuchUser");
        assertThat(gmail.accepted("127.0.0.16")).isEqualTo(1);
        assertThat(gmail.throttled("127.0.0.16")).isZero();
        assertThat(gmail.snapshot("127.0.0.16").unknownRecipients()).isEqualTo(2);
    }

    @Test
    void everyPresetRefusesUnknownUsersWith550_5_1_1() {
        for (ProviderProfile profile :
                List.of(ProviderProfile.outlookLike(), ProviderProfile.yahooLike(), ProviderProfile.lenient())) {
            ProviderSimulator provider = start(profile);
            OutboundMessage message =
                    new OutboundMessage("m", "s@poolmta.test", List.of("unknown1@x.test"), content("x"));
            SmtpReply reply = deliver(provider, 17, List.of(message))
                    .getFirst()
                    .recipients()
                    .getFirst()
                    .reply();
            assertThat(reply.code()).as(profile.name()).isEqualTo(550);
            assertThat(reply.text()).as(profile.name()).startsWith("5.1.1 ");
        }
    }

    // ---- concurrency --------------------------------------------------------------------------

    @Test
    void countsAreExactUnder20ConcurrentConnections() throws Exception {
        // 4 IPs × 5 connections × 10 messages; each IP may have 30 accepted this hour (451 beyond).
        ProviderSimulator outlook = start(
                ProviderProfile.outlookLike().withLimits(new SendingLimits(30, 100, 5), new SendingLimits(30, 100, 5)));
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<List<RecipientResult>>> connections = new ArrayList<>();
        for (int ip = 31; ip <= 34; ip++) {
            for (int c = 0; c < 5; c++) {
                int source = ip;
                List<OutboundMessage> batch = batch(10);
                connections.add(() -> {
                    go.await();
                    return deliver(outlook, source, batch).stream()
                            .flatMap(r -> r.recipients().stream())
                            .toList();
                });
            }
        }
        List<RecipientResult> all = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            List<Future<List<RecipientResult>>> futures =
                    connections.stream().map(pool::submit).toList();
            go.countDown();
            for (Future<List<RecipientResult>> f : futures) {
                all.addAll(f.get(30, TimeUnit.SECONDS));
            }
        }

        assertThat(all).hasSize(200);
        assertThat(all.stream().filter(r -> r.reply().code() == 250)).hasSize(120);
        assertThat(all.stream().filter(r -> r.reply().code() == 451)).hasSize(80);
        assertThat(outlook.acceptedBySource())
                .isEqualTo(Map.of("127.0.0.31", 30L, "127.0.0.32", 30L, "127.0.0.33", 30L, "127.0.0.34", 30L));
        assertThat(outlook.throttledBySource())
                .isEqualTo(Map.of("127.0.0.31", 20L, "127.0.0.32", 20L, "127.0.0.33", 20L, "127.0.0.34", 20L));
        assertThat(outlook.totalAccepted()).isEqualTo(120);
        assertThat(outlook.totalAcceptedMessages()).isEqualTo(120);
        assertThat(outlook.snapshots().values())
                .allSatisfy(s -> assertThat(s.refusedConnections()).isZero());
    }

    @Test
    void aLenientProviderAcceptsEverythingFrom20ConcurrentConnections() throws Exception {
        ProviderSimulator lenient = start(ProviderProfile.lenient());
        List<Callable<List<DeliveryResult>>> connections = IntStream.range(0, 20)
                .mapToObj(i -> (Callable<List<DeliveryResult>>) () -> deliver(lenient, 40 + i % 2, batch(25)))
                .toList();
        long delivered = 0;
        try (ExecutorService pool = Executors.newFixedThreadPool(20)) {
            for (Future<List<DeliveryResult>> f : pool.invokeAll(connections)) {
                delivered += f.get().stream()
                        .flatMap(r -> r.recipients().stream())
                        .filter(r -> r.reply().code() == 250)
                        .count();
            }
        }
        assertThat(delivered).isEqualTo(500);
        assertThat(lenient.totalAccepted()).isEqualTo(500);
        assertThat(lenient.acceptedBySource()).isEqualTo(Map.of("127.0.0.40", 250L, "127.0.0.41", 250L));
    }

    @Test
    void tooManyConcurrentConnectionsGet421AtTheGreeting() throws IOException {
        ProviderSimulator gmail = start(ProviderProfile.gmailLike()); // a new IP may hold 3 connections
        List<RawConnection> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(track(RawConnection.open(gmail, 51)));
        }
        assertThat(held).allSatisfy(c -> assertThat(c.greeting()).startsWith("220 "));

        SmtpReply refused = send(gmail, 51, 1).getFirst().reply();

        assertThat(refused.code()).isEqualTo(421);
        assertThat(refused.text()).contains("greeted with 421 4.7.0 Try again later, closing connection. - gsmtp");
        assertThat(gmail.snapshot("127.0.0.51").refusedConnections()).isEqualTo(1);
        assertThat(gmail.throttled("127.0.0.51")).isEqualTo(1);
        assertThat(codes(send(gmail, 52, 1))).as("another IP has its own slots").containsExactly(250);

        assertThat(held.getFirst().quit()).startsWith("221 ");
        assertThat(codes(send(gmail, 51, 1))).containsExactly(250);
        assertThat(gmail.accepted("127.0.0.51")).isEqualTo(1);
    }

    // ---- what was received --------------------------------------------------------------------

    @Test
    void keepsOnlyTheNewestMessagesItWasAskedToKeep() throws IOException {
        ProviderSimulator gmail = track(new ProviderSimulator("127.0.0.1", 0, ProviderProfile.gmailLike(), clock, 3));
        send(gmail, 18, 5);

        List<ReceivedMail> recent = gmail.recentMail();
        assertThat(recent).hasSize(3);
        assertThat(recent)
                .extracting(ReceivedMail::headers)
                .containsExactly("Subject: message 3\r\n", "Subject: message 4\r\n", "Subject: message 5\r\n");
        assertThat(recent.getFirst().sourceIp()).isEqualTo("127.0.0.18");
        assertThat(recent.getFirst().ehloName()).isEqualTo("mta18.poolmta.test");
        assertThat(recent.getFirst().receivedAt()).isEqualTo(MONDAY_9AM);
        assertThat(recent.getFirst().size()).isEqualTo("Subject: message 3\r\n\r\nhello\r\n".length());
        assertThat(gmail.totalAcceptedMessages()).isEqualTo(5);
    }

    @Test
    void theDemosMailboxCountsMessagesNotRecipients() throws IOException {
        try (SimulatedMailbox mailbox = new SimulatedMailbox("demo-sim", "127.0.0.1", 0)) {
            OutboundMessage twoRecipients =
                    new OutboundMessage("m", "s@poolmta.test", List.of("a@demo.test", "b@demo.test"), content("x"));
            List<DeliveryResult> results = client.deliver(
                    new SourceAddress(new Ipv4("127.0.0.19"), "mta19.poolmta.test"),
                    List.of(new NextHop("127.0.0.1", mailbox.port())),
                    TlsPolicy.OPTIONAL,
                    List.of(twoRecipients, twoRecipients, twoRecipients));

            assertThat(results)
                    .flatExtracting(DeliveryResult::recipients)
                    .extracting(r -> r.reply().code())
                    .containsOnly(250);
            assertThat(mailbox.accepted()).isEqualTo(3);
            assertThat(mailbox.acceptedBySource()).isEqualTo(Map.of("127.0.0.19", 3L));
            assertThat(mailbox.ehloOf("127.0.0.19")).isEqualTo("mta19.poolmta.test");
            assertThat(mailbox.simulator().accepted("127.0.0.19")).isEqualTo(6);
        }
    }

    @Test
    void reportsBouncesAndComplaintsToTheReturnPathAtItsRatesFromASeed() throws IOException {
        List<String> first = feedbackRun(42);
        List<String> again = feedbackRun(42);
        List<String> other = feedbackRun(7);

        assertThat(first)
                .as("the same seed reports the same recipients the same way")
                .isEqualTo(again);
        assertThat(first).isNotEqualTo(other);
        long bounces = first.stream().filter(r -> r.startsWith("Bounce")).count();
        long complaints = first.stream().filter(r -> r.startsWith("Complaint")).count();
        // 200 recipients at 10 % and 5 %: far outside these bounds would be a broken draw
        assertThat(bounces).isBetween(8L, 35L);
        assertThat(complaints).isBetween(2L, 20L);
    }

    /** 200 messages through a lenient provider reporting at 10 % bounces, 5 % complaints: what it reported, in order. */
    private List<String> feedbackRun(long seed) throws IOException {
        try (ScriptedSmtpServer feedback = ScriptedSmtpServer.acceptingAll()) {
            ProviderSimulator provider = start(ProviderProfile.lenient());
            provider.reportFeedback(FeedbackLoop.to("127.0.0.1", feedback.port(), 0.10, 0.05, seed)
                    .withReturnPath(mail -> Optional.of("rp-" + mail.mailFrom())));
            messageNumber = 0;
            for (int i = 0; i < 4; i++) {
                send(provider, 22, 50);
            }
            long reports = provider.reportedBounces() + provider.reportedComplaints();
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> provider.reportsPending() == 0
                            && feedback.messages().size() == reports);
            assertThat(provider.reportsFailed()).as(provider.lastReportReply()).isZero();
            assertThat(provider.reportsSent()).isEqualTo(reports);
            List<String> out = new ArrayList<>();
            for (ReceivedMessage m : feedback.messages()) {
                assertThat(m.mailFrom()).as("reports come from the null sender").isEmpty();
                assertThat(m.recipients()).containsExactly("rp-sender@poolmta.test");
                switch (ReportParser.parse(m.data())) {
                    case FeedbackReport.DeliveryStatus ds -> {
                        assertThat(ds.reportingMta()).contains("dns; lenient-sim.sim");
                        FeedbackReport.ReportedRecipient r = ds.recipients().getFirst();
                        assertThat(r.status()).contains("5.1.1");
                        assertThat(r.action()).isEqualTo("failed");
                        out.add("Bounce " + r.finalRecipient());
                    }
                    case FeedbackReport.Complaint c -> {
                        assertThat(c.feedbackType()).contains("abuse");
                        assertThat(c.userAgent()).contains("PoolMTA-Simulator/1.0 (lenient-sim)");
                        assertThat(c.arrivalDate()).contains(MONDAY_9AM);
                        out.add("Complaint " + c.originalRcptTo().getFirst());
                    }
                    case FeedbackReport.PlainText p -> throw new AssertionError("not a report: " + p.subject());
                }
            }
            assertThat(out).hasSize((int) reports);
            return out;
        }
    }

    @Test
    void listensOnLoopbackOnly() {
        Assertions.assertThatThrownBy(() -> new ProviderSimulator("192.0.2.1", 0, ProviderProfile.lenient(), clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loopback");
    }

    // ---- helpers ------------------------------------------------------------------------------

    private ProviderSimulator start(ProviderProfile profile) {
        try {
            return track(ProviderSimulator.onLoopback(profile, clock));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }

    /** {@code count} one-recipient messages from 127.0.0.{@code ip} on one connection; every attempted recipient's result. */
    private List<RecipientResult> send(ProviderSimulator provider, int ip, int count) {
        return deliver(provider, ip, batch(count)).stream()
                .flatMap(r -> r.recipients().stream())
                .toList();
    }

    private List<DeliveryResult> deliver(ProviderSimulator provider, int ip, List<OutboundMessage> batch) {
        List<DeliveryResult> results = client.deliver(
                new SourceAddress(new Ipv4("127.0.0." + ip), "mta" + ip + ".poolmta.test"),
                List.of(new NextHop("127.0.0.1", provider.port())),
                TlsPolicy.OPTIONAL,
                batch);
        assertThat(results).hasSize(batch.size());
        return results;
    }

    private synchronized List<OutboundMessage> batch(int count) {
        List<OutboundMessage> batch = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int n = ++messageNumber;
            batch.add(new OutboundMessage(
                    "m" + n,
                    "sender@poolmta.test",
                    List.of("user" + n + "@provider.test"),
                    ("Subject: message " + n + "\r\n\r\nhello\r\n").getBytes(StandardCharsets.US_ASCII)));
        }
        return batch;
    }

    private static byte[] content(String body) {
        return ("Subject: test\r\n\r\n" + body + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static List<Integer> codes(List<RecipientResult> results) {
        return results.stream().map(r -> r.reply().code()).toList();
    }

    /** A connection from 127.0.0.{@code ip} that only reads the greeting and stays open until QUIT. */
    private record RawConnection(Socket socket, BufferedReader in, OutputStream out, String greeting)
            implements AutoCloseable {
        static RawConnection open(ProviderSimulator provider, int ip) throws IOException {
            Socket socket = new Socket();
            socket.bind(new InetSocketAddress(InetAddress.getByName("127.0.0." + ip), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", provider.port()), 5000);
            socket.setSoTimeout(10_000);
            BufferedReader in =
                    new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            return new RawConnection(socket, in, socket.getOutputStream(), in.readLine());
        }

        String quit() throws IOException {
            out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return in.readLine();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
