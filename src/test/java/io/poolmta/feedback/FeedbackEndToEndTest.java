package io.poolmta.feedback;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.message.ReturnPath;
import io.poolmta.server.FeedbackOptions;
import io.poolmta.server.HostPort;
import io.poolmta.sim.FeedbackLoop;
import io.poolmta.sim.ProviderProfile;
import io.poolmta.sim.ProviderSimulator;
import io.poolmta.sim.ReceivedMail;
import io.poolmta.testing.EventLog;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import io.poolmta.testing.WebhookReceiver;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.EventType;

/**
 * Feedback end to end: mail goes out through the SES API to simulated providers, which send a DSN
 * and an ARF complaint back over SMTP on loopback to the feedback listener, and the Bounce and
 * Complaint events arrive at the configuration set's webhook in SES's JSON; the ledger that ties
 * them to the message survives a restart.
 */
class FeedbackEndToEndTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String BOUNCE_DOMAIN = "bounces.poolmta.test";
    private static final String SET = "campaigns";
    private static final String IP = "127.0.0.11";
    private static final Pattern MESSAGE_ID = Pattern.compile("(?im)^Message-ID:\\s*<([^@>]+)@");

    @TempDir
    Path dir;

    TestServer server;
    WebhookReceiver hook;
    ProviderSimulator bouncing;
    ProviderSimulator complaining;
    ProviderSimulator quiet;
    TestAccount acme;
    SesV2Client ses;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.startConfigured(
                dir,
                MutableClock.startingNow(),
                config -> config.withBounceDomain(BOUNCE_DOMAIN)
                        .withFeedback(FeedbackOptions.defaults().withListener(new HostPort("127.0.0.1", 0))));
        hook = WebhookReceiver.start("127.0.0.1");
        bouncing = ProviderSimulator.onLoopback(ProviderProfile.lenient().withName("bounce-sim"), server.clock());
        complaining = ProviderSimulator.onLoopback(ProviderProfile.lenient().withName("fbl-sim"), server.clock());
        server.route("bounces.example", bouncing.hostPort());
        server.route("complains.example", complaining.hostPort());
        quiet = ProviderSimulator.onLoopback(ProviderProfile.lenient().withName("quiet-sim"), server.clock());
        server.route("quiet.example", quiet.hostPort());
        acme = server.createAccount("acme");
        server.leaseIps(acme, IP);
        ses = server.ses(acme);
        ses.createConfigurationSet(r -> r.configurationSetName(SET));
        ses.createConfigurationSetEventDestination(r -> r.configurationSetName(SET)
                .eventDestinationName("hook")
                .eventDestination(d -> d.enabled(true)
                        .matchingEventTypes(EventType.DELIVERY, EventType.BOUNCE, EventType.COMPLAINT)
                        .snsDestination(s -> s.topicArn(hook.url()))));
    }

    @AfterEach
    void stop() {
        server.close();
        hook.close();
        bouncing.close();
        complaining.close();
        quiet.close();
    }

    @Test
    void aDsnAndAnArfComeBackAsBounceAndComplaintEventsAtTheWebhook() throws IOException {
        HostPort feedback = HostPort.parse(server.server().feedbackAddress().orElseThrow());
        bouncing.reportFeedback(
                FeedbackLoop.to(feedback.host(), feedback.port(), 1.0, 0.0, 1).withReturnPath(this::returnPath));
        complaining.reportFeedback(
                FeedbackLoop.to(feedback.host(), feedback.port(), 0.0, 1.0, 1).withReturnPath(this::returnPath));

        String bounced = send("gone@bounces.example", "ok@quiet.example");
        String complained = send("reader@complains.example");

        await().atMost(WAIT)
                .until(() -> hook.count(bounced, "Bounce") == 1 && hook.count(complained, "Complaint") == 1);
        assertThat(hook.count(bounced, "Delivery"))
                .as("one Delivery per destination domain")
                .isEqualTo(2);
        assertThat(bouncing.reportsSent()).isOne();
        assertThat(complaining.reportsSent()).isOne();

        JsonNode bounce = event(bounced, "Bounce");
        assertThat(bounce.at("/bounce/bounceType").asText()).isEqualTo("Permanent");
        assertThat(bounce.at("/bounce/bounceSubType").asText()).isEqualTo("NoEmail");
        assertThat(bounce.at("/bounce/bouncedRecipients")).hasSize(1);
        JsonNode recipient = bounce.at("/bounce/bouncedRecipients/0");
        assertThat(recipient.path("emailAddress").asText()).isEqualTo("gone@bounces.example");
        assertThat(recipient.path("action").asText()).isEqualTo("failed");
        assertThat(recipient.path("status").asText()).isEqualTo("5.1.1");
        assertThat(recipient.path("diagnosticCode").asText()).isEqualTo("smtp; " + FeedbackLoop.DEFAULT_BOUNCE_REPLY);
        assertThat(bounce.at("/bounce/reportingMTA").asText()).isEqualTo("dns; bounce-sim.sim");
        assertThat(bounce.at("/bounce/feedbackId").asText()).startsWith(bounced);
        assertThat(bounce.at("/bounce/timestamp").asText()).isNotEmpty();
        assertMail(bounce, bounced);

        JsonNode complaint = event(complained, "Complaint");
        assertThat(complaint
                        .at("/complaint/complainedRecipients/0/emailAddress")
                        .asText())
                .isEqualTo("reader@complains.example");
        assertThat(complaint.at("/complaint/complainedRecipients")).hasSize(1);
        assertThat(complaint.at("/complaint/complaintFeedbackType").asText()).isEqualTo("abuse");
        assertThat(complaint.at("/complaint/userAgent").asText()).isEqualTo("PoolMTA-Simulator/1.0 (fbl-sim)");
        assertThat(complaint.at("/complaint/arrivalDate").asText()).isNotEmpty();
        assertThat(complaint.at("/complaint").has("complaintSubType")).isTrue();
        assertThat(complaint.at("/complaint/complaintSubType").isNull()).isTrue();
        assertThat(complaint.at("/complaint/feedbackId").asText()).startsWith(complained);
        assertMail(complaint, complained);
        assertThat(hook.count(bounced, "Complaint")).isZero();
        assertThat(hook.count(complained, "Bounce")).isZero();
    }

    @Test
    void aReportAfterARestartStillFindsItsMessage() throws IOException {
        String id = send("gone@bounces.example");
        EventLog.of(server).await(id, "Delivery", WAIT);

        server.restart();

        String dsn = new String(FeedbackCorpusTest.corpus("postfix-user-unknown.eml"), StandardCharsets.UTF_8)
                .replace(FeedbackCorpusTest.MESSAGE_ID, id)
                .replace("nobody@example.net", "gone@bounces.example");
        try (LineSmtp smtp = new LineSmtp(server.server().feedbackAddress().orElseThrow())) {
            assertThat(smtp.reply()).startsWith("220");
            smtp.send("EHLO mx.example.net");
            smtp.send("MAIL FROM:<>");
            assertThat(smtp.send("RCPT TO:<" + id + "@" + BOUNCE_DOMAIN + ">")).startsWith("250");
            assertThat(smtp.data(dsn.getBytes(StandardCharsets.UTF_8))).startsWith("250");
        }
        await().atMost(WAIT).until(() -> hook.count(id, "Bounce") == 1);
        JsonNode bounce = event(id, "Bounce");
        assertThat(bounce.at("/bounce/bouncedRecipients/0/emailAddress").asText())
                .isEqualTo("gone@bounces.example");
        assertThat(bounce.at("/bounce/reportingMTA").asText()).isEqualTo("dns; mail.example.net");
        assertMail(bounce, id);
    }

    @Test
    void withForwardingOnTheSenderGetsTheReportByMail() throws IOException {
        try (ScriptedSmtpServer senderMailbox = ScriptedSmtpServer.acceptingAll()) {
            server.route("acme.test", senderMailbox.nextHop().toString());
            // acme.test is one of the fixture's identities: forwarding is on for it, as for any new one
            HostPort feedback = HostPort.parse(server.server().feedbackAddress().orElseThrow());
            complaining.reportFeedback(FeedbackLoop.to(feedback.host(), feedback.port(), 0.0, 1.0, 1)
                    .withReturnPath(this::returnPath));

            String id = send("reader@complains.example");

            EventLog.of(server).await(id, "Delivery", WAIT);
            await().atMost(WAIT).until(() -> hook.count(id, "Complaint") == 1);
            ReceivedMessage notice = senderMailbox.awaitMessages(1, WAIT).getFirst();
            assertThat(notice.recipients()).containsExactly("sender@acme.test");
            assertThat(notice.mailFrom()).as("no bounce of a notification").isEmpty();
            String text = new String(notice.data(), StandardCharsets.UTF_8);
            assertThat(text)
                    .contains("From: MAILER-DAEMON@" + BOUNCE_DOMAIN)
                    .contains("Subject: Complaint about your message")
                    .contains("Message ID: " + id)
                    .contains("Feedback-Type: abuse");

            // with forwarding off, the next complaint is an event only
            ses.putEmailIdentityFeedbackAttributes(
                    r -> r.emailIdentity("acme.test").emailForwardingEnabled(false));
            // (another reader: the first one's complaint put that address on the suppression list)
            String second = send("reader2@complains.example");
            await().atMost(WAIT).until(() -> hook.count(second, "Complaint") == 1);
            assertThat(senderMailbox.messages()).hasSize(1);
        }
    }

    /**
     * The loop closed: an asynchronous bounce and a complaint put their recipients on the account's
     * suppression list, and the next message to them bounces at once (OnAccountSuppressionList)
     * without reaching the receiver, while the message's other recipient still goes.
     */
    @Test
    void lateBouncesAndComplaintsSuppressTheNextSend() throws IOException {
        HostPort feedback = HostPort.parse(server.server().feedbackAddress().orElseThrow());
        bouncing.reportFeedback(
                FeedbackLoop.to(feedback.host(), feedback.port(), 1.0, 0.0, 1).withReturnPath(this::returnPath));
        complaining.reportFeedback(
                FeedbackLoop.to(feedback.host(), feedback.port(), 0.0, 1.0, 1).withReturnPath(this::returnPath));
        String bounced = send("gone@bounces.example");
        String complained = send("reader@complains.example");
        await().atMost(WAIT)
                .until(() -> hook.count(bounced, "Bounce") == 1 && hook.count(complained, "Complaint") == 1);

        await().atMost(WAIT).untilAsserted(() -> {
            assertThat(ses.getSuppressedDestination(r -> r.emailAddress("gone@bounces.example"))
                            .suppressedDestination()
                            .reasonAsString())
                    .isEqualTo("BOUNCE");
            assertThat(ses.getSuppressedDestination(r -> r.emailAddress("reader@complains.example"))
                            .suppressedDestination()
                            .reasonAsString())
                    .isEqualTo("COMPLAINT");
        });
        long bouncingBefore = bouncing.totalAccepted();
        long complainingBefore = complaining.totalAccepted();

        String next = send("gone@bounces.example", "reader@complains.example", "ok@quiet.example");

        await().atMost(WAIT).until(() -> hook.count(next, "Bounce") == 1 && hook.count(next, "Delivery") == 1);
        JsonNode bounce = event(next, "Bounce");
        assertThat(bounce.at("/bounce/bounceType").asText()).isEqualTo("Permanent");
        assertThat(bounce.at("/bounce/bounceSubType").asText()).isEqualTo("OnAccountSuppressionList");
        assertThat(bounce.at("/bounce/bouncedRecipients"))
                .extracting(r -> r.path("emailAddress").asText())
                .containsExactlyInAnyOrder("gone@bounces.example", "reader@complains.example");
        assertThat(event(next, "Delivery").at("/delivery/recipients/0").asText())
                .isEqualTo("ok@quiet.example");
        assertThat(bouncing.totalAccepted()).isEqualTo(bouncingBefore);
        assertThat(complaining.totalAccepted()).isEqualTo(complainingBefore);
    }

    private void assertMail(JsonNode event, String id) {
        assertThat(event.at("/mail/messageId").asText()).isEqualTo(id);
        assertThat(event.at("/mail/sendingAccountId").asText()).isEqualTo(acme.accountId());
        assertThat(event.at("/mail/source").asText()).isEqualTo("sender@acme.test");
        assertThat(event.at("/mail/tags/ses:configuration-set/0").asText()).isEqualTo(SET);
        assertThat(event.at("/mail/tags/ses:outgoing-ip/0").asText()).isEqualTo(IP);
        assertThat(event.at("/mail/tags/campaign/0").asText()).isEqualTo("spring");
        assertThat(event.at("/mail/commonHeaders/subject").asText()).isEqualTo("hello");
    }

    private JsonNode event(String messageId, String type) {
        return hook.events().stream()
                .filter(e -> e.at("/mail/messageId").asText().equals(messageId)
                        && e.path("eventType").asText().equals(type))
                .findFirst()
                .orElseThrow();
    }

    /** The message's return path: its envelope sender once that is one, else its id (from Message-ID) on the bounce domain. */
    private Optional<String> returnPath(ReceivedMail mail) {
        Optional<ReturnPath> envelope = ReturnPath.parse(mail.mailFrom());
        if (envelope.isPresent()) {
            return Optional.of(envelope.get().address());
        }
        Matcher m = MESSAGE_ID.matcher(mail.headers());
        return m.find() ? Optional.of(m.group(1) + "@" + BOUNCE_DOMAIN) : Optional.empty();
    }

    private String send(String... to) {
        return ses.sendEmail(r -> r.fromEmailAddress("sender@acme.test")
                        .destination(d -> d.toAddresses(to))
                        .configurationSetName(SET)
                        .emailTags(t -> t.name("campaign").value("spring"))
                        .content(c ->
                                c.simple(s -> s.subject(x -> x.data("hello")).body(b -> b.text(t -> t.data("body"))))))
                .messageId();
    }
}
