package io.poolmta.spool;

import static io.poolmta.testing.SesErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.MutableClock;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.SmtpCredentials;
import io.poolmta.testing.SmtpSubmit;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestMessage;
import io.poolmta.testing.TestServer;
import jakarta.mail.MessagingException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

/**
 * The spool's disk reserve (spoolMinFreeMb) end to end: a server whose reserve is more than its
 * disk has free refuses every message with the same back-pressure as a full disk (API 429, SMTP
 * 451) and writes nothing, instead of filling the disk the database and the event log need.
 */
class SpoolReserveTest {
    @TempDir
    Path dir;

    TestServer server;
    ScriptedSmtpServer sink;

    @AfterEach
    void tearDown() {
        if (server != null) {
            server.close();
        }
        if (sink != null) {
            sink.close();
        }
    }

    @Test
    void aReserveLargerThanTheFreeSpaceRefusesEveryMessage() throws Exception {
        long freeMb = Files.getFileStore(dir).getUsableSpace() >> 20;
        server = TestServer.startConfigured(dir, MutableClock.startingNow(), c -> c.withSpoolMinFreeMb(freeMb + 1024));
        sink = ScriptedSmtpServer.acceptingAll();
        server.route("example.com", sink.nextHop().toString());
        TestAccount acme = server.createAccount("acme");
        server.leaseIps(acme, "127.0.0.11");
        SesV2Client ses = server.ses(acme);
        SmtpCredentials creds = SmtpCredentials.create(server, "acme");

        var error = expectError(
                () -> TestMessage.to("to@example.com").subject("refused").sendWith(ses),
                TooManyRequestsException.class,
                429);
        assertThat(error.awsErrorDetails().errorMessage()).contains("could not store");

        MessagingException smtp = Assertions.catchThrowableOfType(
                MessagingException.class,
                () -> SmtpSubmit.send(server, creds.username(), creds.password(), "refused too"));
        assertThat(smtp).isNotNull();
        assertThat(smtp.getMessage() + smtp.getNextException()).contains("451");

        assertThat(server.server().delivery().queued()).isZero();
        try (var files = Files.list(dir.resolve("spool"))) {
            assertThat(files.filter(f -> f.getFileName().toString().startsWith("segment-"))
                            .toList())
                    .as("nothing was written to the spool")
                    .isEmpty();
        }
        assertThat(sink.messages()).isEmpty();
    }
}
