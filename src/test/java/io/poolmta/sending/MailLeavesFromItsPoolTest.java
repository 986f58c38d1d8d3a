package io.poolmta.sending;

import static io.poolmta.testing.SesErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.testing.EventLog;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.SmtpCredentials;
import io.poolmta.testing.SmtpSubmit;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestMessage;
import io.poolmta.testing.TestServer;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.SendingPausedException;

/**
 * Every message leaves from an IP of the pool its configuration set names, over real SMTP to a
 * sink on loopback that records each connection's source address and EHLO name.
 */
class MailLeavesFromItsPoolTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    TestServer server;
    ScriptedSmtpServer sink;
    TestAccount acme;
    SesV2Client ses;

    @BeforeEach
    void setUp() {
        server = TestServer.start(dir);
        sink = ScriptedSmtpServer.acceptingAll();
        server.route("example.com", sink.nextHop().toString());
        server.route("example.org", sink.nextHop().toString());
        acme = server.createAccount("acme");
        server.leaseIps(acme, "127.0.0.11", "127.0.0.12", "127.0.0.21", "127.0.0.22", "127.0.0.31");
        server.addSharedIps("127.0.0.2");
        ses = server.ses(acme);
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));
        ses.createDedicatedIpPool(r -> r.poolName("transactional"));
        for (String ip : List.of("127.0.0.11", "127.0.0.12")) {
            ses.putDedicatedIpInPool(r -> r.ip(ip).destinationPoolName("marketing"));
        }
        for (String ip : List.of("127.0.0.21", "127.0.0.22")) {
            ses.putDedicatedIpInPool(r -> r.ip(ip).destinationPoolName("transactional"));
        }
        ses.createConfigurationSet(
                r -> r.configurationSetName("marketing").deliveryOptions(d -> d.sendingPoolName("marketing")));
        ses.createConfigurationSet(
                r -> r.configurationSetName("transactional").deliveryOptions(d -> d.sendingPoolName("transactional")));
        ses.createConfigurationSet(
                r -> r.configurationSetName("shared").deliveryOptions(d -> d.sendingPoolName("ses-shared-pool")));
        ses.createConfigurationSet(r -> r.configurationSetName("plain"));
    }

    @AfterEach
    void tearDown() {
        server.close();
        sink.close();
    }

    @Test
    void marketingMailLeavesOnlyFromMarketingIps() {
        sendMany("marketing", 20);

        List<ReceivedMessage> received = sink.awaitMessages(20, WAIT);

        assertThat(sources(received)).isSubsetOf("127.0.0.11", "127.0.0.12").hasSize(2);
        assertThat(received).allSatisfy(m -> assertThat(m.ehloName()).isEqualTo("[" + m.sourceAddress() + "]"));
    }

    @Test
    void transactionalMailLeavesOnlyFromTransactionalIps() {
        sendMany("transactional", 20);

        assertThat(sources(sink.awaitMessages(20, WAIT)))
                .isSubsetOf("127.0.0.21", "127.0.0.22")
                .isNotEmpty();
    }

    @Test
    void mailWithoutConfigurationSetOrPoolLeavesFromTheDefaultPool() {
        sendMany(null, 5);
        sendMany("plain", 5);

        assertThat(sources(sink.awaitMessages(10, WAIT))).containsExactly("127.0.0.31");
    }

    @Test
    void aSetOnTheSharedPoolSendsFromSharedIps() {
        sendMany("shared", 5);

        assertThat(sources(sink.awaitMessages(5, WAIT))).containsExactly("127.0.0.2");
    }

    @Test
    void anAccountWithoutDedicatedIpsSendsFromTheSharedPool() {
        TestAccount beta = server.createAccount("beta");
        SesV2Client betaSes = server.ses(beta);

        send(betaSes, null, "to@example.com", "hello");

        assertThat(sources(sink.awaitMessages(1, WAIT))).containsExactly("127.0.0.2");
    }

    @Test
    void simpleContentArrivesAsMimeWithTheMessageIdAndEvents() {
        String id = ses.sendEmail(r -> r.fromEmailAddress("Acme <news@acme.test>")
                        .destination(d -> d.toAddresses("to@example.com").bccAddresses("hidden@example.org"))
                        .configurationSetName("marketing")
                        .emailTags(t -> t.name("campaign").value("nov"))
                        .content(c -> c.simple(s -> s.subject(x -> x.data("Grüße"))
                                .body(b -> b.text(t -> t.data("plain text")).html(h -> h.data("<p>html</p>"))))))
                .messageId();

        List<ReceivedMessage> received = sink.awaitMessages(2, WAIT);

        String text = received.getFirst().text();
        assertThat(text)
                .contains("multipart/alternative")
                .contains("Message-ID: <" + id + "@")
                .doesNotContain("hidden@example.org");
        assertThat(received.stream().flatMap(m -> m.recipients().stream()))
                .containsExactlyInAnyOrder("to@example.com", "hidden@example.org");
        // the envelope sender on the wire is the message's return path; the events keep the sender
        assertThat(received.getFirst().mailFrom()).isEqualTo(id + "@bounces.poolmta.localhost");
        EventLog events = EventLog.of(server);
        JsonNode send = events.await(id, "Send", WAIT);
        assertThat(send.at("/mail/source").asText()).isEqualTo("news@acme.test");
        assertThat(send.at("/mail/tags/ses:configuration-set/0").asText()).isEqualTo("marketing");
        assertThat(send.at("/mail/tags/campaign/0").asText()).isEqualTo("nov");
        JsonNode delivery = events.await(id, "Delivery", WAIT);
        assertThat(delivery.at("/mail/tags/ses:outgoing-ip/0").asText()).isIn("127.0.0.11", "127.0.0.12");
        assertThat(delivery.at("/mail/tags/poolmta:pool/0").asText()).isEqualTo("marketing");
        assertThat(delivery.at("/delivery/smtpResponse").asText()).startsWith("250");
        assertThat(delivery.at("/delivery/remoteMtaIp").asText()).isEqualTo("127.0.0.1");
    }

    @Test
    void rawContentSelectsTheSetByHeaderAndTheHeaderIsRemoved() {
        String raw =
                "From: a@acme.test\r\nTo: to@example.com\r\nSubject: raw\r\nX-SES-CONFIGURATION-SET: transactional\r\n"
                        + "\r\nbody\r\n";

        ses.sendEmail(r -> r.content(c -> c.raw(x -> x.data(SdkBytes.fromString(raw, StandardCharsets.UTF_8)))));

        ReceivedMessage m = sink.awaitMessages(1, WAIT).getFirst();
        assertThat(m.sourceAddress()).isIn("127.0.0.21", "127.0.0.22");
        assertThat(m.text())
                .doesNotContainIgnoringCase("X-SES-CONFIGURATION-SET")
                .contains("Subject: raw");
    }

    @Test
    void smtpSubmissionWithTheHeaderLeavesFromThatPool() throws Exception {
        SmtpCredentials creds = SmtpCredentials.create(server, "acme");
        Session session = Session.getInstance(SmtpSubmit.properties("127.0.0.1", server.smtpPort()));
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress("a@acme.test"));
        message.setRecipients(Message.RecipientType.TO, "to@example.com");
        message.setSubject("via smtp");
        message.setText("hello");
        message.setHeader("X-SES-CONFIGURATION-SET", "marketing");

        Transport.send(message, creds.username(), creds.password());

        ReceivedMessage m = sink.awaitMessages(1, WAIT).getFirst();
        assertThat(m.sourceAddress()).isIn("127.0.0.11", "127.0.0.12");
        assertThat(m.text()).contains("Subject: via smtp").doesNotContainIgnoringCase("X-SES-CONFIGURATION-SET");
    }

    @Test
    void aPoolWithoutIpsIsNotFoundAndNothingIsSent() {
        ses.createDedicatedIpPool(r -> r.poolName("empty"));
        ses.createConfigurationSet(
                r -> r.configurationSetName("nowhere").deliveryOptions(d -> d.sendingPoolName("empty")));

        var error = expectError(() -> send(ses, "nowhere", "to@example.com", "x"), NotFoundException.class, 404);

        assertThat(error.awsErrorDetails().errorMessage()).contains("empty").contains("no IPs");
        assertThat(sink.messages()).isEmpty();
    }

    @Test
    void unknownConfigurationSetIsNotFound() {
        expectError(() -> send(ses, "ghost", "to@example.com", "x"), NotFoundException.class, 404);
    }

    @Test
    void pausedConfigurationSetRefusesWithSendingPaused() {
        ses.putConfigurationSetSendingOptions(
                r -> r.configurationSetName("marketing").sendingEnabled(false));

        expectError(() -> send(ses, "marketing", "to@example.com", "x"), SendingPausedException.class, 400);
    }

    private void sendMany(String set, int count) {
        for (int i = 0; i < count; i++) {
            send(ses, set, "user" + i + "@example.com", "message " + i);
        }
    }

    private static String send(SesV2Client client, String set, String to, String subject) {
        TestMessage message =
                TestMessage.to(to).from("sender@acme.test").subject(subject).body("body");
        return (set == null ? message : message.configurationSet(set)).sendWith(client);
    }

    private static Set<String> sources(List<ReceivedMessage> messages) {
        return messages.stream().map(ReceivedMessage::sourceAddress).collect(Collectors.toCollection(HashSet::new));
    }
}
