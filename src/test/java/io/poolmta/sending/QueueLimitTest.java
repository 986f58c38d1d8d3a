package io.poolmta.sending;

import static io.poolmta.testing.SesErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.MutableClock;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.SmtpCredentials;
import io.poolmta.testing.SmtpRule;
import io.poolmta.testing.SmtpStage;
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
 * A full queue refuses new mail with back-pressure (API 429 TooManyRequestsException, SMTP 451)
 * instead of growing without bound, and accepts again once deliveries make room.
 */
class QueueLimitTest {
    @TempDir
    Path dir;

    TestServer server;
    ScriptedSmtpServer sink;
    MutableClock clock = MutableClock.startingNow();
    SesV2Client ses;
    String smtpUser;
    String smtpPassword;

    @BeforeEach
    void setUp() {
        sink = ScriptedSmtpServer.builder()
                .rule(SmtpRule.at(SmtpStage.RCPT).firstTimes(3).reply(451, "4.3.0 not now")) // defers the first three
                .start();
        server = TestServer.start(dir, clock, env -> env.withQueueLimit(new QueueLimit(3)));
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
        server.close();
        sink.close();
    }

    @Test
    void aFullQueueRefusesWithBackPressureUntilDeliveriesMakeRoom() throws Exception {
        send("one");
        send("two");
        smtpSend("three");
        assertThat(server.admin().ok("GET", "/delivery", null).get("Pending").asLong())
                .isEqualTo(3);

        var error = expectError(() -> send("four"), TooManyRequestsException.class, 429);
        assertThat(error.awsErrorDetails().errorMessage())
                .contains("queue is full")
                .contains("3 messages");
        MessagingException smtp = Assertions.catchThrowableOfType(MessagingException.class, () -> smtpSend("five"));
        assertThat(smtp).isNotNull();
        assertThat(smtp.getMessage() + String.valueOf(smtp.getNextException())).contains("451");

        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> server.admin()
                                .ok("GET", "/delivery", null)
                                .get("Deferred")
                                .asLong()
                        == 3);
        clock.advance(Duration.ofMinutes(30));
        sink.awaitMessages(3, Duration.ofSeconds(20));
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> server.admin()
                                .ok("GET", "/delivery", null)
                                .get("Pending")
                                .asLong()
                        == 0);

        send("after");
        sink.awaitMessages(4, Duration.ofSeconds(20));
        assertThat(sink.messages())
                .extracting(m -> m.text().contains("Subject: four") || m.text().contains("Subject: five"))
                .containsOnly(false);
    }

    private void send(String subject) {
        ses.sendEmail(r -> r.fromEmailAddress("s@acme.test")
                .destination(d -> d.toAddresses("to@example.com"))
                .content(c -> c.simple(s -> s.subject(x -> x.data(subject)).body(b -> b.text(x -> x.data("b"))))));
    }

    private void smtpSend(String subject) throws MessagingException {
        SmtpSubmit.send(server, smtpUser, smtpPassword, subject);
    }
}
