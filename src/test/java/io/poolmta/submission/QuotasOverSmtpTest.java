package io.poolmta.submission;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.MutableClock;
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
 * The sandbox, the quotas and the account-wide pause over SMTP submission, as transcripts: a
 * sandbox recipient is refused 554 with SES's text, the rate and the daily quota 454 4.7.0 with
 * SES's "Throttling failure" texts, a paused account 554 5.7.1, and nothing refused reaches the
 * sink or the 24-hour count.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class QuotasOverSmtpTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    MutableClock wall;
    TestServer server;
    ScriptedSmtpServer sink;

    @BeforeEach
    void setUp() {
        wall = MutableClock.startingNow();
        server = TestServer.start(dir, MutableClock.startingNow(), env -> env.withRequestClock(wall));
        sink = ScriptedSmtpServer.acceptingAll();
        server.route("example.com", sink.nextHop().toString());
        server.route("verified.test", sink.nextHop().toString());
        server.addSharedIps("127.0.0.2");
    }

    @AfterEach
    void tearDown() {
        server.close();
        sink.close();
    }

    @Test
    void aSandboxRecipientIsRefused554AndAVerifiedOneAccepted() throws IOException {
        TestAccount acme = server.createSandboxAccount("acme");
        server.ses(acme).createEmailIdentity(r -> r.emailIdentity("verified.test"));
        server.admin().ok("POST", "/accounts/acme/identities/verified.test/verify", null);

        try (SmtpTestClient client = loggedIn(acme)) {
            assertThat(submit(client, "someone@example.com"))
                    .startsWith("554 5.6.0 Email address is not verified. The following identities failed the check")
                    .endsWith(": someone@example.com");
            assertThat(submit(client, "someone@verified.test")).startsWith("250 Ok: queued as ");
        }
        assertThat(sink.awaitMessages(1, WAIT).getFirst().recipients()).containsExactly("someone@verified.test");
        assertThat(sink.messages()).hasSize(1);
    }

    @Test
    void overTheRateOrTheDailyQuotaIs454AndNothingIsAccepted() throws IOException {
        TestAccount acme = server.createSandboxAccount("acme");
        server.admin().ok("POST", "/accounts/acme/production-access", "{\"Max24HourSend\":3,\"MaxSendRate\":1}");

        try (SmtpTestClient client = loggedIn(acme)) {
            assertThat(submit(client, "a@example.com")).startsWith("250 ");
            assertThat(submit(client, "b@example.com"))
                    .isEqualTo("454 4.7.0 Throttling failure: Maximum sending rate exceeded.");
            wall.advance(Duration.ofSeconds(1));
            assertThat(submit(client, "b@example.com", "c@example.com")).startsWith("250 ");
            wall.advance(Duration.ofSeconds(5));
            assertThat(submit(client, "d@example.com"))
                    .isEqualTo("454 4.7.0 Throttling failure: Daily message quota exceeded.");
        }
        assertThat(sink.awaitMessages(2, WAIT)).hasSize(2);
        assertThat(server.ses(acme).getAccount(r -> {}).sendQuota().sentLast24Hours())
                .isEqualTo(3.0);
    }

    @Test
    void aPausedAccountIsRefused554() throws IOException {
        TestAccount acme = server.createAccount("acme");
        server.admin().ok("PUT", "/accounts/acme/sending", "{\"SendingEnabled\":false}");

        try (SmtpTestClient client = loggedIn(acme)) {
            assertThat(submit(client, "a@example.com")).isEqualTo("554 5.7.1 Sending is paused for this account.");
        }
        assertThat(sink.messages()).isEmpty();
    }

    private SmtpTestClient loggedIn(TestAccount account) throws IOException {
        SmtpTestClient client = SmtpTestClient.connect(server.smtpPort());
        assertThat(client.login(account.accessKeyId(), SesSmtpPassword.derive(account.secretAccessKey(), "us-east-1")))
                .isEqualTo("235 Authentication successful.");
        return client;
    }

    /** MAIL, RCPT for each recipient, DATA, a small message, "."; returns the reply to ".". */
    private static String submit(SmtpTestClient client, String... recipients) throws IOException {
        assertThat(client.send("MAIL FROM:<sender@acme.test>")).isEqualTo("250 Ok");
        for (String recipient : recipients) {
            assertThat(client.send("RCPT TO:<" + recipient + ">")).isEqualTo("250 Ok");
        }
        assertThat(client.send("DATA")).startsWith("354 ");
        client.write("From: sender@acme.test\r\nTo: " + recipients[0] + "\r\nSubject: quota\r\n\r\nbody\r\n.\r\n");
        return client.reply();
    }
}
