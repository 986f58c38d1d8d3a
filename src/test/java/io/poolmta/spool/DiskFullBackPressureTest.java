package io.poolmta.spool;

import static io.poolmta.testing.SesErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.MutableClock;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.SmtpCredentials;
import io.poolmta.testing.SmtpSubmit;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import jakarta.mail.MessagingException;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.Assertions;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

/**
 * When the spool cannot write (disk full, failing fsync) nothing is acknowledged: the API answers
 * 429 TooManyRequestsException and SMTP 451, and service comes back by itself once the disk does.
 */
class DiskFullBackPressureTest {
    @TempDir
    Path dir;

    final FaultyChannels disk = new FaultyChannels();
    TestServer server;
    ScriptedSmtpServer sink;
    SesV2Client ses;
    String smtpUser;
    String smtpPassword;

    @BeforeEach
    void setUp() {
        server = TestServer.start(dir, MutableClock.startingNow(), env -> env.withSpoolChannels(disk));
        sink = ScriptedSmtpServer.acceptingAll();
        server.route("example.com", sink.nextHop().toString());
        TestAccount acme = server.createAccount("acme");
        server.leaseIps(acme, "127.0.0.11");
        ses = server.ses(acme);
        SmtpCredentials creds = SmtpCredentials.create(server, "acme");
        smtpUser = creds.username();
        smtpPassword = creds.password();
    }

    @AfterEach
    void tearDown() {
        disk.heal();
        server.close();
        sink.close();
    }

    @Test
    void fullDiskRefusesWithBackPressureAndRecovers() throws Exception {
        disk.failWrites = true;

        var error = expectError(() -> send("during"), TooManyRequestsException.class, 429);
        assertThat(error.awsErrorDetails().errorMessage()).contains("could not store");
        MessagingException smtp =
                Assertions.catchThrowableOfType(MessagingException.class, () -> smtpSend("during-smtp"));
        assertThat(smtp).isNotNull();
        assertThat(smtp.getMessage() + String.valueOf(smtp.getNextException())).contains("451");

        disk.failWrites = false;
        disk.failForce = true;
        expectError(() -> send("fsync"), TooManyRequestsException.class, 429);

        disk.heal();
        String id = send("after");
        smtpSend("after-smtp");

        var received = sink.awaitMessages(2, Duration.ofSeconds(20));
        assertThat(received)
                .extracting(m -> m.text().contains("Subject: after"))
                .containsOnly(true);
        assertThat(sink.messages()).hasSize(2);
        assertThat(id).isNotBlank();
        // nothing refused was stored: after a restart no refused message is delivered
        server.restart();
        Awaitility.await()
                .during(Duration.ofSeconds(1))
                .atMost(Duration.ofSeconds(5))
                .until(() -> sink.messages().size() == 2);
    }

    private String send(String subject) {
        return ses.sendEmail(r -> r.fromEmailAddress("s@acme.test")
                        .destination(d -> d.toAddresses("to@example.com"))
                        .content(c ->
                                c.simple(s -> s.subject(x -> x.data(subject)).body(b -> b.text(x -> x.data("b"))))))
                .messageId();
    }

    private void smtpSend(String subject) throws MessagingException {
        SmtpSubmit.send(server, smtpUser, smtpPassword, subject);
    }
}
