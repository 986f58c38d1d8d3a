package io.poolmta.submission;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.testing.EventLog;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The header rules of Raw content over SMTP submission, as raw transcripts against a real server
 * and a sink on loopback: a bare CR in the header section and broken RFC 5322 header counts are
 * answered 554 5.6.0 and nothing reaches the sink; an accepted message's events name the SMTP
 * client's address as {@code mail.sourceIp}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RawHeaderRulesOverSmtpTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    TestServer server;
    ScriptedSmtpServer sink;
    TestAccount acme;

    @BeforeEach
    void setUp() {
        server = TestServer.start(dir);
        sink = ScriptedSmtpServer.acceptingAll();
        server.route("example.com", sink.nextHop().toString());
        server.route("example.org", sink.nextHop().toString());
        acme = server.createAccount("acme");
        server.leaseIps(acme, "127.0.0.42");
        server.ses(acme).createConfigurationSet(r -> r.configurationSetName("other"));
    }

    @AfterEach
    void tearDown() {
        server.close();
        sink.close();
    }

    @Test
    void aBareCrInTheHeaderSectionIs554AndNothingIsDelivered() throws IOException {
        try (SmtpTestClient client = loggedIn()) {
            assertThat(submit(
                            client,
                            "From: a@acme.test\r\nTo: rcpt@example.com\r\nSubject: x\rBcc: hidden@example.org\r\n"
                                    + "\r\nbody\r\n"))
                    .startsWith("554 5.6.0 ")
                    .contains("bare CR");
            assertThat(submit(
                            client,
                            "From: a@acme.test\r\nTo: rcpt@example.com\r\nSubject: x\r\r"
                                    + "X-SES-CONFIGURATION-SET: other\r\n\r\nbody\r\n"))
                    .startsWith("554 5.6.0 ");
            assertThat(submit(client, "From: a@acme.test\r\nTo: rcpt@example.com\r\nSubject: fine\r\n\r\nbody\r\n"))
                    .startsWith("250 ");
        }

        ReceivedMessage m = sink.awaitMessages(1, WAIT).getFirst();
        assertThat(m.text())
                .contains("Subject: fine")
                .doesNotContainPattern("(?im)^bcc:") // a header line (the random Message-ID may hold "bcc")
                .doesNotContain("hidden@");
        assertThat(m.recipients()).containsExactly("rcpt@example.com");
        assertThat(sink.messages()).hasSize(1);
    }

    @Test
    void twoFromHeadersOrNoneAre554() throws IOException {
        try (SmtpTestClient client = loggedIn()) {
            assertThat(submit(
                            client, "From: a@acme.test\r\nFrom: ceo@bank.test\r\nTo: rcpt@example.com\r\n\r\nbody\r\n"))
                    .isEqualTo("554 5.6.0 The message has 2 From header fields; RFC 5322 requires exactly one.");
            assertThat(submit(client, "To: rcpt@example.com\r\nSubject: no from\r\n\r\nbody\r\n"))
                    .isEqualTo("554 5.6.0 The message has no From header field; RFC 5322 requires exactly one.");
            assertThat(submit(
                            client,
                            "From: a@acme.test\r\nTo: rcpt@example.com\r\nTo: other@example.org\r\n\r\nbody\r\n"))
                    .startsWith("554 5.6.0 The message has 2 To header fields");
        }
        assertThat(sink.messages()).isEmpty();
    }

    @Test
    void theEventsNameTheSmtpClientAsSourceIp() throws IOException {
        String reply;
        try (SmtpTestClient client = loggedIn()) {
            reply = submit(
                    client,
                    "From: Sender <sender@acme.test>\r\nTo: rcpt@example.com\r\nSubject: via smtp\r\n\r\nb\r\n");
        }
        assertThat(reply).startsWith("250 Ok: queued as ");
        String id = reply.substring("250 Ok: queued as ".length());

        JsonNode delivery = EventLog.of(server).await(id, "Delivery", WAIT);
        assertThat(delivery.at("/mail/sourceIp").asText()).isEqualTo("127.0.0.1");
        assertThat(delivery.at("/mail/commonHeaders/from/0").asText()).isEqualTo("Sender <sender@acme.test>");
        assertThat(delivery.at("/mail/commonHeaders/subject").asText()).isEqualTo("via smtp");
        assertThat(delivery.at("/mail/sourceArn").asText())
                .isEqualTo("arn:aws:ses::" + acme.accountId() + ":identity/acme.test");
    }

    private SmtpTestClient loggedIn() throws IOException {
        SmtpTestClient client = SmtpTestClient.connect(server.smtpPort());
        assertThat(client.login(acme.accessKeyId(), SesSmtpPassword.derive(acme.secretAccessKey(), "us-east-1")))
                .isEqualTo("235 Authentication successful.");
        return client;
    }

    /** MAIL, RCPT, DATA, the content (ending in CRLF), "."; returns the reply to ".". */
    private static String submit(SmtpTestClient client, String content) throws IOException {
        assertThat(client.send("MAIL FROM:<sender@acme.test>")).isEqualTo("250 Ok");
        assertThat(client.send("RCPT TO:<rcpt@example.com>")).isEqualTo("250 Ok");
        assertThat(client.send("DATA")).startsWith("354 ");
        client.write(content + ".\r\n");
        return client.reply();
    }
}
