package io.poolmta.feedback;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.events.MailEvent;
import io.poolmta.message.MailHeaders;
import io.poolmta.message.ReturnPath;
import io.poolmta.provider.BounceClassifier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The corpus of real-world-shaped bounces and complaints (src/test/resources/feedback): each report,
 * sent to the return path of a message that had the named recipient and one other, gives exactly
 * the event, type, sub-type, recipient and status stated here, and nothing for the other recipient.
 */
class FeedbackCorpusTest {
    static final String MESSAGE_ID = "010001900a1b2c3d-11111111-2222-3333-4444-555555555555-000000";
    static final Instant NOW = Instant.parse("2025-06-02T12:00:00Z");

    final List<MailEvent> events = new ArrayList<>();
    final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    final MemorySentMessageStore store = new MemorySentMessageStore();
    final SentLedger ledger = new SentLedger(store, SentLedger.DEFAULT_RETENTION, 1000, clock);
    final FeedbackProcessor processor =
            new FeedbackProcessor(ledger, events::add, BounceClassifier.standard(), NotificationForwarder.OFF, clock);

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            rfc3464-timeout.eml             | louisl@larry.slumber.org | Bounce | Transient/General          | 4.0.0
            postfix-user-unknown.eml        | nobody@example.net       | Bounce | Permanent/NoEmail          | 5.1.1
            gmail-no-such-user.eml          | nobody@gmail.com         | Bounce | Permanent/NoEmail          | 5.1.1
            gmail-over-quota-plain.eml      | full.inbox@gmail.com     | Bounce | Transient/MailboxFull      | 5.2.2
            gmail-attachment-blocked.eml    | someone@gmail.com        | Bounce | Transient/AttachmentRejected | 5.7.0
            outlook-recipient-not-found.eml | nobody@outlook.com       | Bounce | Permanent/NoEmail          | 5.1.10
            exchange-plain-text.eml         | jane.doe@contoso.com     | Bounce | Permanent/NoEmail          | 5.1.1
            exchange-message-too-large.eml  | big@contoso.com          | Bounce | Transient/MessageTooLarge  | 5.3.4
            yahoo-no-account.eml            | gone@yahoo.com           | Bounce | Permanent/NoEmail          | 5.0.0
            exim-user-unknown.eml           | unknown@example.org      | Bounce | Permanent/NoEmail          | 5.1.1
            exim-mailbox-full.eml           | full@example.org         | Bounce | Transient/MailboxFull      | 4.0.0
            postfix-spam-rejected.eml       | reader@example.net       | Bounce | Transient/ContentRejected  | 5.7.1
            rfc5965-abuse.eml               | user@example.com         | Complaint | abuse/SomeGenerator/1.0 | 2005-03-08T18:00:00Z
            yahoo-cfl.eml                   | annoyed@yahoo.com        | Complaint | abuse/Yahoo!-Mail-Feedback/2.0 | 2025-06-02T08:00:06Z
            microsoft-jmrp.eml              | reader@hotmail.com       | Complaint | abuse/Microsoft JMRP    | 2025-06-02T08:00:06Z
            """)
    void eachReportGivesItsEvent(String file, String recipient, String type, String what, String statusOrDate)
            throws IOException {
        delivered(recipient, "bystander@example.com");

        FeedbackProcessor.Outcome outcome = processor.process(returnPath(), corpus(file));

        assertThat(outcome.hadEffect()).as(outcome.note()).isTrue();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type().jsonName()).isEqualTo(type);
            assertThat(e.recipients()).containsExactly(recipient);
            assertThat(e.envelope().messageId()).isEqualTo(MESSAGE_ID);
            assertThat(e.envelope().accountId()).isEqualTo("111111111111");
            assertThat(e.outgoingIp()).contains("127.0.0.11");
            assertThat(e.poolName()).isEqualTo("marketing");
            switch (e.detail()) {
                case MailEvent.Bounce b -> {
                    assertThat(b.bounceType() + "/" + b.bounceSubType()).isEqualTo(what);
                    assertThat(b.bouncedRecipients()).singleElement().satisfies(r -> {
                        assertThat(r.emailAddress()).isEqualTo(recipient);
                        assertThat(r.action()).isEqualTo("failed");
                        assertThat(r.status()).contains(statusOrDate);
                    });
                    assertThat(b.feedbackId()).isPresent();
                }
                case MailEvent.Complaint c -> {
                    assertThat(c.feedbackType().orElse("") + "/" + c.userAgent().orElse(""))
                            .isEqualTo(what);
                    assertThat(c.arrivalDate()).contains(Instant.parse(statusOrDate));
                    assertThat(c.feedbackId()).startsWith(MESSAGE_ID);
                }
                default -> throw new AssertionError("unexpected " + e.detail());
            }
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"postfix-delayed.eml, slow@example.net"})
    void aDelayNoticeIsNoBounce(String file, String recipient) throws IOException {
        delivered(recipient, "bystander@example.com");

        FeedbackProcessor.Outcome outcome = processor.process(returnPath(), corpus(file));

        assertThat(outcome.hadEffect()).isFalse();
        assertThat(events).isEmpty();
    }

    private void delivered(String... recipients) {
        Map<String, String> ips = new LinkedHashMap<>();
        for (String r : recipients) {
            ips.put(r, "127.0.0.11");
        }
        store.saveAll(List.of(new SentMessage(
                MESSAGE_ID,
                "111111111111",
                Optional.of("campaigns"),
                "marketing",
                "sender@example.com",
                NOW.minusSeconds(3600),
                Map.of("campaign", List.of("spring")),
                "192.0.2.200",
                MailHeaders.of(
                        "From: sender@example.com\r\nSubject: Hello\r\n\r\n".getBytes(StandardCharsets.US_ASCII)),
                ips,
                NOW.minusSeconds(3500))));
    }

    static ReturnPath returnPath() {
        return new ReturnPath(MESSAGE_ID, "bounces.poolmta.test");
    }

    /** A corpus file as it arrives over SMTP: CRLF line ends, the return path filled in. */
    static byte[] corpus(String file) throws IOException {
        try (InputStream in = FeedbackCorpusTest.class.getResourceAsStream("/feedback/" + file)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8)
                    .replace("MESSAGE_ID", MESSAGE_ID)
                    .replace("\r\n", "\n")
                    .replace("\n", "\r\n");
            return text.getBytes(StandardCharsets.UTF_8);
        }
    }
}
