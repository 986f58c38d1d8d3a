package io.poolmta.sending;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.testing.EventLog;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;

/**
 * Raw content through the SES API (AWS SDK SendEmail) against a real server and a sink on
 * loopback: a bare CR in the header section and broken RFC 5322 header counts are refused with
 * MessageRejected and nothing reaches the sink; what is accepted has events whose mail object
 * carries the message's headers, commonHeaders, sourceArn and sourceIp, also after a restart.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class RawHeaderRulesTest {
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
        server.leaseIps(acme, "127.0.0.41");
        ses = server.ses(acme);
        ses.createConfigurationSet(r -> r.configurationSetName("other"));
    }

    @AfterEach
    void tearDown() {
        server.close();
        sink.close();
    }

    @Test
    void aBareCrCannotSmuggleBccOrAConfigurationSetPastTheHeaderStripping() {
        for (String raw : List.of(
                "From: a@acme.test\r\nTo: to@example.com\r\nSubject: x\rBcc: hidden@example.org\r\n\r\nbody\r\n",
                "From: a@acme.test\r\nTo: to@example.com\r\nSubject: x\r\rX-SES-CONFIGURATION-SET: other\r\n\r\nbody\r\n",
                "From: a@acme.test\r\nTo: to@example.com\r\n\rBcc: hidden@example.org\r\n\r\nbody\r\n")) {
            MessageRejectedException e = expectError(() -> sendRaw(raw), MessageRejectedException.class, 400);
            assertThat(e.awsErrorDetails().errorMessage()).contains("bare CR");
        }

        String id = sendRaw("From: a@acme.test\r\nTo: to@example.com\r\nSubject: fine\r\n\r\nbody\r\n");

        ReceivedMessage m = sink.awaitMessages(1, WAIT).getFirst();
        assertThat(m.text())
                .contains("Message-ID: <" + id + "@")
                .doesNotContainIgnoringCase("bcc")
                .doesNotContainIgnoringCase("X-SES-")
                .doesNotContain("hidden@");
        assertThat(sink.messages()).hasSize(1);
    }

    @Test
    void twoFromHeadersOrNoneAreRejected() {
        MessageRejectedException two = expectError(
                () -> sendRaw("From: a@acme.test\r\nFrom: ceo@bank.test\r\n"
                        + "To: to@example.com\r\nSubject: two\r\n\r\nbody\r\n"),
                MessageRejectedException.class,
                400);
        assertThat(two.awsErrorDetails().errorMessage()).contains("2 From header fields");
        MessageRejectedException none = expectError(
                () -> ses.sendEmail(r -> r.fromEmailAddress("a@acme.test")
                        .content(c -> c.raw(x -> x.data(SdkBytes.fromString(
                                "To: to@example.com\r\nSubject: none\r\n\r\nbody\r\n", StandardCharsets.UTF_8))))),
                MessageRejectedException.class,
                400);
        assertThat(none.awsErrorDetails().errorMessage()).contains("no From header field");
        MessageRejectedException subjects = expectError(
                () -> sendRaw(
                        "From: a@acme.test\r\nTo: to@example.com\r\n" + "Subject: one\r\nSubject: two\r\n\r\nbody\r\n"),
                MessageRejectedException.class,
                400);
        assertThat(subjects.awsErrorDetails().errorMessage()).contains("2 Subject header fields");

        sendRaw("From: a@acme.test\r\nTo: to@example.com\r\nSubject: one\r\n\r\nbody\r\n");
        assertThat(sink.awaitMessages(1, WAIT))
                .singleElement()
                .satisfies(m -> assertThat(m.text()).contains("Subject: one").doesNotContain("bank.test"));
    }

    @Test
    void simpleContentWithEveryHeaderKindIsAccepted() {
        String id = ses.sendEmail(r -> r.fromEmailAddress("Acme <news@acme.test>")
                        .destination(d -> d.toAddresses("to@example.com")
                                .ccAddresses("cc@example.com")
                                .bccAddresses("b@example.org"))
                        .replyToAddresses("reply@acme.test")
                        .content(c -> c.simple(s -> s.subject(x -> x.data("Grüße"))
                                .headers(
                                        h -> h.name("In-Reply-To").value("<a@b>"),
                                        h -> h.name("References").value("<a@b>"),
                                        h -> h.name("Sender").value("s@acme.test"))
                                .body(b -> b.text(t -> t.data("text"))))))
                .messageId();

        assertThat(sink.awaitMessages(2, WAIT)).hasSize(2);
        JsonNode send = EventLog.of(server).await(id, "Send", WAIT);
        assertThat(send.at("/mail/commonHeaders/replyTo/0").asText()).isEqualTo("reply@acme.test");
        assertThat(send.at("/mail/commonHeaders/cc/0").asText()).isEqualTo("cc@example.com");
    }

    /** The events' mail object, from intake (Send) and from the stored content after a restart (Delivery). */
    @Test
    void eventsCarryTheHeadersAndTheCallerAcrossARestart() throws IOException {
        int closedPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = probe.getLocalPort();
        }
        server.route("example.net", "127.0.0.1:" + closedPort);
        String raw = "From: Sender Name <sender@acme.test>\r\nTo: Rcpt <to@example.net>\r\nCc: cc@example.net\r\n"
                + "Subject: =?UTF-8?B?R3LDvMOfZQ==?=\r\nX-Campaign: spring\r\nBcc: hidden@example.net\r\n"
                + "Content-Type: text/plain;\r\n charset=utf-8\r\n\r\nbody\r\n";

        String id = sendRaw(raw);

        EventLog events = EventLog.of(server);
        JsonNode send = events.await(id, "Send", WAIT);
        JsonNode mail = send.get("mail");
        assertThat(mail.get("sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(mail.get("sourceArn").asText())
                .isEqualTo("arn:aws:ses::" + acme.accountId() + ":identity/acme.test");
        assertThat(mail.get("sendingAccountId").asText()).isEqualTo(acme.accountId());
        assertThat(mail.get("headersTruncated").asBoolean()).isFalse();
        assertThat(mail.get("headers"))
                .extracting(h -> h.get("name").asText())
                .containsExactly("From", "To", "Cc", "Subject", "X-Campaign", "Content-Type", "Message-ID", "Date");
        assertThat(mail.at("/headers/5/value").asText()).isEqualTo("text/plain; charset=utf-8");
        JsonNode common = mail.get("commonHeaders");
        assertThat(common.at("/from/0").asText()).isEqualTo("Sender Name <sender@acme.test>");
        assertThat(common.at("/to/0").asText()).isEqualTo("Rcpt <to@example.net>");
        assertThat(common.at("/cc/0").asText()).isEqualTo("cc@example.net");
        assertThat(common.get("subject").asText()).isEqualTo("=?UTF-8?B?R3LDvMOfZQ==?=");
        assertThat(common.get("messageId").asText()).startsWith("<" + id + "@");
        assertThat(common.get("returnPath").asText()).isEqualTo("sender@acme.test");
        assertThat(common.has("bcc")).isFalse();
        events.await(id, "DeliveryDelay", WAIT);

        server.route("example.net", sink.nextHop().toString()); // the retry is a minute away: after the restart
        server.restart();

        JsonNode delivery = events.await(id, "Delivery", Duration.ofSeconds(60));
        assertThat(delivery.at("/mail/sourceIp").asText())
                .as("kept in the spool")
                .isEqualTo("127.0.0.1");
        assertThat(delivery.at("/mail/headers")).isEqualTo(mail.get("headers"));
        assertThat(delivery.at("/mail/commonHeaders")).isEqualTo(common);
        assertThat(delivery.at("/mail/sourceArn")).isEqualTo(mail.get("sourceArn"));
    }

    /** The SDK's MessageRejectedException, from the model's error shape MessageRejected, HTTP 400. */
    private static MessageRejectedException expectError(
            ThrowingCallable call, Class<MessageRejectedException> type, int status) {
        MessageRejectedException error = catchThrowableOfType(type, call);
        assertThat(error).as("expected MessageRejected").isNotNull();
        assertThat(error.statusCode()).isEqualTo(status);
        assertThat(error.awsErrorDetails().errorCode()).isEqualTo("MessageRejected");
        return error;
    }

    private String sendRaw(String raw) {
        return ses.sendEmail(r -> r.content(c -> c.raw(x -> x.data(SdkBytes.fromString(raw, StandardCharsets.UTF_8)))))
                .messageId();
    }
}
