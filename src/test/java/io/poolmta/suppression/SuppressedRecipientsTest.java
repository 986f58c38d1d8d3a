package io.poolmta.suppression;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.testing.EventLog;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.SmtpCredentials;
import io.poolmta.testing.SmtpSubmit;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.BulkEmailEntry;
import software.amazon.awssdk.services.sesv2.model.BulkEmailStatus;
import software.amazon.awssdk.services.sesv2.model.SuppressionListReason;

/**
 * What the suppression list does to mail, end to end: a listed recipient is not sent to and gets a
 * Permanent/OnAccountSuppressionList Bounce at once while the message's other recipients are
 * delivered (SendEmail, SendBulkEmail, SMTP); a 5xx from the receiver lists the address so the next
 * send bounces at acceptance, also after a restart; the account's reasons and a configuration set's
 * SuppressionOptions decide what counts.
 */
class SuppressedRecipientsTest {
    private static final Duration WAIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    TestServer server;
    TestAccount acme;
    SesV2Client ses;
    EventLog events;
    final List<ScriptedSmtpServer> sinks = new ArrayList<>();

    @BeforeEach
    void setUp() {
        server = TestServer.start(dir);
        acme = server.createAccount("acme");
        server.leaseIps(acme, "127.0.0.21");
        ses = server.ses(acme);
        events = EventLog.of(server);
    }

    @AfterEach
    void tearDown() {
        server.close();
        sinks.forEach(ScriptedSmtpServer::close);
    }

    @Test
    void aListedRecipientBouncesAtOnceWhileTheOtherIsDelivered() {
        ScriptedSmtpServer sink = sink(ScriptedSmtpServer.builder());
        ses.putSuppressedDestination(r -> r.emailAddress("Listed@Example.com").reason(SuppressionListReason.BOUNCE));

        String id = send(null, "ok@example.com", "listed@example.com");

        ReceivedMessage m = sink.awaitMessages(1, WAIT).getFirst();
        assertThat(m.recipients()).containsExactly("ok@example.com");
        JsonNode bounce = events.await(id, "Bounce", WAIT);
        assertSuppressedBounce(bounce, "listed@example.com");
        assertThat(events.await(id, "Delivery", WAIT).at("/delivery/recipients"))
                .extracting(JsonNode::asText)
                .containsExactly("ok@example.com");
        assertThat(events.of(id, "Send").getFirst().at("/mail/destination"))
                .extracting(JsonNode::asText)
                .containsExactly("ok@example.com", "listed@example.com");
        // its own bounce does not touch the entry
        assertThat(ses.getSuppressedDestination(r -> r.emailAddress("listed@example.com"))
                        .suppressedDestination()
                        .attributes())
                .isNull();
    }

    @Test
    void aMessageWhoseRecipientsAreAllListedIsAcceptedAndOnlyBounces() {
        ScriptedSmtpServer sink = sink(ScriptedSmtpServer.builder());
        ses.putSuppressedDestination(r -> r.emailAddress("a@example.com").reason(SuppressionListReason.BOUNCE));
        ses.putSuppressedDestination(r -> r.emailAddress("b@example.com").reason(SuppressionListReason.COMPLAINT));

        String id = send(null, "a@example.com", "b@example.com");

        assertThat(id).isNotBlank();
        JsonNode bounce = events.await(id, "Bounce", WAIT);
        assertThat(bounce.at("/bounce/bouncedRecipients"))
                .extracting(r -> r.path("emailAddress").asText())
                .containsExactly("a@example.com", "b@example.com");
        // and a message that is sent afterwards arrives alone: nothing of the first was queued
        String later = send(null, "c@example.com");
        assertThat(sink.awaitMessages(1, WAIT).getFirst().recipients()).containsExactly("c@example.com");
        events.await(later, "Delivery", WAIT);
        assertThat(sink.messages()).hasSize(1);
        assertThat(events.of(id, "Delivery")).isEmpty();
    }

    @Test
    void aPermanentBounceListsTheAddressAndTheNextSendBouncesAtOnceEvenAfterARestart() {
        ScriptedSmtpServer sink =
                sink(ScriptedSmtpServer.builder().rejectRecipient("gone@example.com", 550, "5.1.1 no such user"));

        String first = send(null, "gone@example.com");
        JsonNode general = events.await(first, "Bounce", WAIT);
        assertThat(general.at("/bounce/bounceSubType").asText()).isEqualTo("NoEmail"); // 5.1.1
        var entry = await().atMost(WAIT)
                .until(
                        () -> ses.listSuppressedDestinations(r -> r.pageSize(10))
                                .suppressedDestinationSummaries(),
                        l -> !l.isEmpty())
                .getFirst();
        assertThat(entry.emailAddress()).isEqualTo("gone@example.com");
        assertThat(entry.reason()).isEqualTo(SuppressionListReason.BOUNCE);
        var attributes = ses.getSuppressedDestination(r -> r.emailAddress("gone@example.com"))
                .suppressedDestination()
                .attributes();
        assertThat(attributes.messageId()).isEqualTo(first);
        assertThat(attributes.feedbackId()).isEqualTo(first + "-bounce");

        String second = send(null, "gone@example.com");
        assertSuppressedBounce(events.await(second, "Bounce", WAIT), "gone@example.com");

        server.restart();
        ses = server.ses(acme);
        String third = send(null, "gone@example.com", "here@example.com");
        assertSuppressedBounce(events.await(third, "Bounce", WAIT), "gone@example.com");
        assertThat(sink.awaitMessages(1, WAIT).getFirst().recipients()).containsExactly("here@example.com");
        // the listed address never reached the receiver again
        assertThat(sink.verdicts().stream().filter(v -> v.recipient().equals("gone@example.com")))
                .hasSize(1);
    }

    @Test
    void theAccountsReasonsDecideWhatIsSkippedAndWhatIsAdded() {
        ScriptedSmtpServer sink =
                sink(ScriptedSmtpServer.builder().rejectRecipient("gone@example.com", 550, "5.1.1 no such user"));
        ses.putAccountSuppressionAttributes(r -> r.suppressedReasons(SuppressionListReason.COMPLAINT));
        ses.putSuppressedDestination(r -> r.emailAddress("bounced@example.com").reason(SuppressionListReason.BOUNCE));
        ses.putSuppressedDestination(
                r -> r.emailAddress("complained@example.com").reason(SuppressionListReason.COMPLAINT));

        String id = send(null, "bounced@example.com", "complained@example.com", "gone@example.com");

        assertSuppressedBounce(events.await(id, "Bounce", WAIT), "complained@example.com");
        assertThat(sink.awaitMessages(1, WAIT).getFirst().recipients()).containsExactly("bounced@example.com");
        await().atMost(WAIT).until(() -> events.of(id, "Bounce").size() == 2);
        // BOUNCE is not among the account's reasons: the 5xx adds nothing
        assertThat(ses.listSuppressedDestinations(r -> r.pageSize(10)).suppressedDestinationSummaries())
                .extracting(s -> s.emailAddress())
                .containsExactly("bounced@example.com", "complained@example.com");
    }

    @Test
    void aConfigurationSetsSuppressionOptionsOverrideTheAccounts() {
        ScriptedSmtpServer sink =
                sink(ScriptedSmtpServer.builder().rejectRecipient("gone@example.com", 550, "5.1.1 no such user"));
        ses.createConfigurationSet(r -> r.configurationSetName("off"));
        ses.putConfigurationSetSuppressionOptions(
                r -> r.configurationSetName("off").suppressedReasons(List.of()));
        ses.createConfigurationSet(r -> r.configurationSetName("complaints")
                .suppressionOptions(o -> o.suppressedReasons(SuppressionListReason.COMPLAINT)));
        ses.createConfigurationSet(r -> r.configurationSetName("plain"));
        ses.putSuppressedDestination(r -> r.emailAddress("bounced@example.com").reason(SuppressionListReason.BOUNCE));
        ses.putSuppressedDestination(
                r -> r.emailAddress("complained@example.com").reason(SuppressionListReason.COMPLAINT));

        // "off": nothing is suppressed, and the 5xx adds nothing
        String off = send("off", "bounced@example.com", "complained@example.com", "gone@example.com");
        assertThat(sink.awaitMessages(1, WAIT).getFirst().recipients())
                .containsExactlyInAnyOrder("bounced@example.com", "complained@example.com");
        JsonNode hard = events.await(off, "Bounce", WAIT);
        assertThat(hard.at("/bounce/bounceSubType").asText()).isEqualTo("NoEmail"); // 5.1.1
        assertThat(ses.listSuppressedDestinations(r -> r.pageSize(10)).suppressedDestinationSummaries())
                .hasSize(2);

        // "complaints": only the complained address is skipped
        String complaints = send("complaints", "bounced@example.com", "complained@example.com");
        assertSuppressedBounce(events.await(complaints, "Bounce", WAIT), "complained@example.com");
        assertThat(sink.awaitMessages(2, WAIT).get(1).recipients()).containsExactly("bounced@example.com");

        // a set without options follows the account (both reasons by default)
        String plain = send("plain", "bounced@example.com", "complained@example.com");
        assertThat(events.await(plain, "Bounce", WAIT).at("/bounce/bouncedRecipients"))
                .extracting(r -> r.path("emailAddress").asText())
                .containsExactly("bounced@example.com", "complained@example.com");
        assertThat(sink.messages()).hasSize(2);
    }

    @Test
    void smtpSubmissionSkipsAListedRecipient() throws Exception {
        ScriptedSmtpServer sink = sink(ScriptedSmtpServer.builder());
        ses.putSuppressedDestination(r -> r.emailAddress("listed@example.com").reason(SuppressionListReason.COMPLAINT));
        SmtpCredentials credentials = SmtpCredentials.create(server, "acme");

        MimeMessage message =
                new MimeMessage(Session.getInstance(SmtpSubmit.properties("127.0.0.1", server.smtpPort())));
        message.setFrom(new InternetAddress("s@acme.test"));
        message.setRecipients(Message.RecipientType.TO, "ok@example.com, listed@example.com");
        message.setSubject("by smtp");
        message.setText("b");
        Transport.send(message, credentials.username(), credentials.password());

        assertThat(sink.awaitMessages(1, WAIT).getFirst().recipients()).containsExactly("ok@example.com");
        JsonNode bounce = events
                .awaitAll(
                        all -> all.stream()
                                .anyMatch(e -> e.path("eventType").asText().equals("Bounce")),
                        WAIT)
                .stream()
                .filter(e -> e.path("eventType").asText().equals("Bounce"))
                .findFirst()
                .orElseThrow();
        assertSuppressedBounce(bounce, "listed@example.com");
    }

    @Test
    void sendBulkEmailSkipsAListedRecipient() {
        ScriptedSmtpServer sink = sink(ScriptedSmtpServer.builder());
        ses.putSuppressedDestination(r -> r.emailAddress("listed@example.com").reason(SuppressionListReason.BOUNCE));
        ses.createEmailTemplate(r -> r.templateName("hi")
                .templateContent(c -> c.subject("Hi {{name}}").text("Hello {{name}}")));

        var results = ses.sendBulkEmail(r -> r.fromEmailAddress("news@acme.test")
                        .defaultContent(
                                c -> c.template(t -> t.templateName("hi").templateData("{\"name\":\"you\"}")))
                        .bulkEmailEntries(
                                BulkEmailEntry.builder()
                                        .destination(d -> d.toAddresses("ok@example.com"))
                                        .build(),
                                BulkEmailEntry.builder()
                                        .destination(d -> d.toAddresses("listed@example.com"))
                                        .build()))
                .bulkEmailEntryResults();

        assertThat(results).extracting(x -> x.status()).containsOnly(BulkEmailStatus.SUCCESS);
        assertThat(sink.awaitMessages(1, WAIT).getFirst().recipients()).containsExactly("ok@example.com");
        assertSuppressedBounce(events.await(results.get(1).messageId(), "Bounce", WAIT), "listed@example.com");
    }

    private static void assertSuppressedBounce(JsonNode bounce, String recipient) {
        assertThat(bounce.at("/bounce/bounceType").asText()).isEqualTo("Permanent");
        assertThat(bounce.at("/bounce/bounceSubType").asText()).isEqualTo("OnAccountSuppressionList");
        assertThat(bounce.at("/bounce/bouncedRecipients"))
                .extracting(r -> r.path("emailAddress").asText())
                .containsExactly(recipient);
        assertThat(bounce.at("/bounce/bouncedRecipients/0/action").asText()).isEqualTo("failed");
        assertThat(bounce.at("/bounce/bouncedRecipients/0/status").asText()).isEqualTo("5.1.1");
        assertThat(bounce.at("/bounce/bouncedRecipients/0/diagnosticCode").asText())
                .contains("suppression list");
    }

    private ScriptedSmtpServer sink(ScriptedSmtpServer.Builder builder) {
        ScriptedSmtpServer sink = builder.start();
        sinks.add(sink);
        server.route("example.com", sink.nextHop().toString());
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
}
