package io.poolmta.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.events.EventType;
import io.poolmta.events.MailEvent;
import io.poolmta.message.MailHeaders;
import io.poolmta.provider.BounceClassifier;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The feedback listener over real SMTP on loopback: it takes mail only for return paths of
 * delivered messages on the bounce domain or an account's verified MAIL FROM domain (never a
 * relay), refuses reports over the size limit, and stays up through malformed MIME, forged reports
 * and a flood of connections.
 */
class FeedbackListenerTest {
    static final String ID = FeedbackCorpusTest.MESSAGE_ID;
    static final String OTHER_ID = "010001900a1b2c3d-99999999-2222-3333-4444-555555555555-000000";
    static final String UNKNOWN_ID = "010001900a1b2c3d-00000000-2222-3333-4444-555555555555-000000";
    static final String DOMAIN = "bounces.poolmta.test";

    final List<MailEvent> events = Collections.synchronizedList(new ArrayList<>());
    final Clock clock = Clock.fixed(Instant.parse("2025-06-02T12:00:00Z"), ZoneOffset.UTC);
    final MemorySentMessageStore store = new MemorySentMessageStore();
    final SentLedger ledger = new SentLedger(store, SentLedger.DEFAULT_RETENTION, 1000, clock);
    final FeedbackIdentities identities = new FeedbackIdentities() {
        @Override
        public boolean isMailFromDomain(String accountId, String domain) {
            return accountId.equals("111111111111") && domain.equals("mail.example.com");
        }

        @Override
        public boolean forwardsFeedback(String accountId, String fromAddress) {
            return false;
        }
    };
    FeedbackServer server;

    @BeforeEach
    void start() throws IOException {
        sent(ID, "111111111111", "nobody@example.net", "user@example.com");
        sent(OTHER_ID, "222222222222", "victim@example.org");
        FeedbackProcessor processor = new FeedbackProcessor(
                ledger, events::add, BounceClassifier.standard(), NotificationForwarder.OFF, clock);
        server = FeedbackServer.start(
                FeedbackSettings.defaults("127.0.0.1", 0, DOMAIN, "feedback.poolmta.test")
                        .withMaxReportBytes(64 * 1024)
                        .withConnections(8, 4)
                        .withIdleTimeout(Duration.ofSeconds(5)),
                ledger,
                identities,
                processor);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void onlyReturnPathsOfDeliveredMessagesAreAccepted() throws IOException {
        try (LineSmtp smtp = new LineSmtp(server.hostPort())) {
            assertThat(smtp.reply()).startsWith("220");
            assertThat(smtp.send("EHLO mx.example.net")).startsWith("250").doesNotContain("AUTH");
            assertThat(smtp.send("MAIL FROM:<>")).startsWith("250");
            assertThat(smtp.send("RCPT TO:<" + UNKNOWN_ID + "@" + DOMAIN + ">")).startsWith("550 5.1.1");
            assertThat(smtp.send("RCPT TO:<someone@example.com>")).startsWith("550 5.1.1");
            assertThat(smtp.send("RCPT TO:<postmaster@" + DOMAIN + ">")).startsWith("550 5.1.1");
            assertThat(smtp.send("RCPT TO:<" + ID + "@elsewhere.example>")).startsWith("550 5.1.1");
            // another account's custom MAIL FROM domain does not take this account's return paths
            assertThat(smtp.send("RCPT TO:<" + OTHER_ID + "@mail.example.com>")).startsWith("550 5.1.1");
            assertThat(smtp.send("RCPT TO:<" + ID + "@mail.example.com>")).startsWith("250");
            assertThat(smtp.send("RCPT TO:<" + ID + "@" + DOMAIN.toUpperCase() + ">"))
                    .startsWith("250");
            assertThat(smtp.data(FeedbackCorpusTest.corpus("postfix-user-unknown.eml")))
                    .startsWith("250");
        }
        // two accepted recipients, the same report: one Bounce each time it was processed
        assertThat(events).hasSize(2).allSatisfy(e -> {
            assertThat(e.type()).isEqualTo(EventType.BOUNCE);
            assertThat(e.recipients()).containsExactly("nobody@example.net");
        });
    }

    @Test
    void aReportOverTheSizeLimitIsRefused() throws IOException {
        byte[] big =
                ("Subject: big\r\n\r\n" + "x".repeat(100) + "\r\n").repeat(1000).getBytes(StandardCharsets.US_ASCII);
        try (LineSmtp smtp = new LineSmtp(server.hostPort())) {
            smtp.reply();
            smtp.send("HELO mx.example.net");
            smtp.send("MAIL FROM:<>");
            assertThat(smtp.send("RCPT TO:<" + ID + "@" + DOMAIN + ">")).startsWith("250");
            assertThat(smtp.data(big)).startsWith("552 5.3.4");
            // the session goes on
            assertThat(smtp.send("RSET")).startsWith("250");
        }
        assertThat(events).isEmpty();
    }

    @Test
    void malformedAndForgedReportsHaveNoEffectAndTheListenerStaysUp() throws IOException {
        List<byte[]> bad = List.of(
                "Content-Type: multipart/report; report-type=delivery-status; boundary=\"x\"\r\n\r\nno parts at all\r\n"
                        .getBytes(StandardCharsets.US_ASCII),
                "Content-Type: multipart/mixed\r\n\r\n--\r\n--\r\n".getBytes(StandardCharsets.US_ASCII),
                ("Content-Type: message/delivery-status\r\n\r\nFinal-Recipient: rfc822; stranger@example.net\r\n"
                                + "Action: failed\r\nStatus: 5.1.1\r\n")
                        .getBytes(StandardCharsets.US_ASCII),
                nested(200),
                new byte[] {(byte) 0xff, (byte) 0xfe, 'a', '\r', '\n'},
                forgedComplaint());
        for (byte[] report : bad) {
            try (LineSmtp smtp = new LineSmtp(server.hostPort())) {
                smtp.reply();
                smtp.send("HELO mx.example.net");
                smtp.send("MAIL FROM:<>");
                assertThat(smtp.send("RCPT TO:<" + ID + "@" + DOMAIN + ">")).startsWith("250");
                assertThat(smtp.data(report)).startsWith("250");
            }
        }
        assertThat(events).as("no report named a recipient of the message").isEmpty();
        assertThat(store.find(OTHER_ID)).isPresent();
    }

    @Test
    void aFloodOfConnectionsIsAnsweredWithinTheLimits() throws Exception {
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> greetings = new ArrayList<>();
            List<LineSmtp> open = Collections.synchronizedList(new ArrayList<>());
            for (int i = 0; i < 30; i++) {
                greetings.add(pool.submit(() -> {
                    LineSmtp smtp = new LineSmtp(server.hostPort());
                    open.add(smtp);
                    return smtp.reply();
                }));
            }
            List<String> replies = new ArrayList<>();
            for (Future<String> g : greetings) {
                replies.add(g.get());
            }
            assertThat(replies.stream().filter(r -> r.startsWith("220"))).hasSizeLessThanOrEqualTo(4);
            assertThat(replies.stream().filter(r -> r.startsWith("421"))).hasSizeGreaterThanOrEqualTo(26);
            for (LineSmtp smtp : open) {
                smtp.close();
            }
        }
        // and it still serves once the flood is gone
        Thread.sleep(200);
        try (LineSmtp smtp = new LineSmtp(server.hostPort())) {
            assertThat(smtp.reply()).startsWith("220");
        }
    }

    /** An ARF report sent to this account's return path that names another account's message and recipient. */
    private static byte[] forgedComplaint() {
        return ("Content-Type: multipart/report; report-type=feedback-report; boundary=\"f\"\r\n\r\n"
                        + "--f\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\n"
                        + "Original-Rcpt-To: victim@example.org\r\n\r\n"
                        + "--f\r\nContent-Type: text/rfc822-headers\r\n\r\n"
                        + "Return-Path: <" + OTHER_ID + "@" + DOMAIN + ">\r\nTo: victim@example.org\r\n"
                        + "Message-ID: <" + OTHER_ID + "@poolmta.test>\r\n\r\n--f--\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[] nested(int depth) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            s.append("Content-Type: multipart/mixed; boundary=\"b")
                    .append(i)
                    .append("\"\r\n\r\n--b")
                    .append(i)
                    .append("\r\n");
        }
        return s.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private void sent(String id, String account, String... recipients) {
        Map<String, String> ips = new LinkedHashMap<>();
        for (String r : recipients) {
            ips.put(r, "127.0.0.11");
        }
        store.saveAll(List.of(new SentMessage(
                id,
                account,
                Optional.empty(),
                "ses-shared-pool",
                "sender@example.com",
                clock.instant().minusSeconds(60),
                Map.of(),
                "",
                MailHeaders.UNREADABLE,
                ips,
                clock.instant().minusSeconds(30))));
    }
}
