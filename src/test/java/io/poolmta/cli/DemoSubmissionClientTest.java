package io.poolmta.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolmta.submission.TlsCertificates;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.SmtpCredentials;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import jakarta.mail.MessagingException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's SMTP client against a real server: it trusts the certificate that server generated
 * and nothing else, authenticates, and its configuration set header reaches the server.
 */
class DemoSubmissionClientTest {
    @TempDir
    Path dir;

    @TempDir
    Path elsewhere;

    TestServer server;
    ScriptedSmtpServer sink;
    SmtpCredentials credentials;

    @BeforeEach
    void setUp() {
        sink = ScriptedSmtpServer.acceptingAll();
        server = TestServer.start(dir);
        server.route("example.net", sink.nextHop().toString());
        TestAccount acme = server.createAccount("acme");
        server.leaseIps(acme, "127.0.0.11");
        credentials = SmtpCredentials.create(server, "acme");
    }

    @AfterEach
    void tearDown() {
        server.close();
        sink.close();
    }

    @Test
    void sendsOverStartTlsTrustingTheServersOwnCertificate() throws Exception {
        try (DemoSubmissionClient client = DemoSubmissionClient.connect(
                server.smtpAddress(), server.dataDir(), credentials.username(), credentials.password())) {
            client.send("hello@acme.test", "one@example.net", null, "first", "Sent by the test.");
            client.send("hello@acme.test", "two@example.net", null, "second", "Sent by the test.");
        }
        assertThat(sink.awaitMessages(2, Duration.ofSeconds(20)))
                .extracting(m -> m.text().contains("Subject: first") || m.text().contains("Subject: second"))
                .containsOnly(true);
    }

    @Test
    void refusesAServerWhoseCertificateIsNotTheOneInItsDataDirectory() throws Exception {
        TlsCertificates.selfSigned(elsewhere, "localhost", Clock.systemUTC()); // another key, another certificate

        assertThatThrownBy(() -> DemoSubmissionClient.connect(
                        server.smtpAddress(), elsewhere, credentials.username(), credentials.password()))
                .isInstanceOf(MessagingException.class)
                .hasCauseInstanceOf(SSLHandshakeException.class)
                .hasStackTraceContaining("unable to find valid certification path");
    }

    @Test
    void itsConfigurationSetHeaderReachesTheServer() throws Exception {
        try (DemoSubmissionClient client = DemoSubmissionClient.connect(
                server.smtpAddress(), server.dataDir(), credentials.username(), credentials.password())) {
            assertThatThrownBy(() -> client.send(
                            "hello@acme.test", "one@example.net", "no-such-set", "refused", "Sent by the test."))
                    .isInstanceOf(MessagingException.class)
                    .hasMessageContaining("no-such-set");
        }
        assertThat(sink.messages()).isEmpty();
    }
}
