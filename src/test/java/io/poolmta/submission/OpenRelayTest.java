package io.poolmta.submission;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * The full server's SMTP submission port is not an open relay, and what it refuses it refuses
 * with the reply a client can act on. Read as SMTP transcripts over raw sockets against a real
 * {@link TestServer}: accounts, IPs and pools in its database, its spool, its delivery engine, and
 * a sink on loopback to which both the account's domain and a "foreign" domain are routed, so that
 * anything relayed by mistake would really arrive there.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class OpenRelayTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String AUTH_REQUIRED = "530 5.7.0 Authentication required";
    private static final String FOREIGN = "victim@foreign.example";
    private static final String DEFAULT_POOL_IP = "127.0.0.71";
    private static final String MESSAGE =
            "From: sender@acme.test\r\nTo: rcpt@example.com\r\nSubject: hello\r\n\r\nHello.\r\n";

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
        server.route("foreign.example", sink.nextHop().toString());
        acme = server.createAccount("acme");
        server.leaseIps(acme, DEFAULT_POOL_IP, "127.0.0.72");
        ses = server.ses(acme);
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));
        ses.putDedicatedIpInPool(r -> r.ip("127.0.0.72").destinationPoolName("marketing"));
        ses.createDedicatedIpPool(r -> r.poolName("empty"));
        ses.createConfigurationSet(
                r -> r.configurationSetName("newsletters").deliveryOptions(d -> d.sendingPoolName("marketing")));
        ses.putConfigurationSetSendingOptions(
                r -> r.configurationSetName("newsletters").sendingEnabled(false));
        ses.createConfigurationSet(
                r -> r.configurationSetName("nowhere").deliveryOptions(d -> d.sendingPoolName("empty")));
    }

    @AfterEach
    void tearDown() {
        server.close();
        sink.close();
    }

    @Test
    void withoutAuthNothingIsRelayedNorSpooled() throws IOException {
        try (SmtpTestClient client = connect()) {
            client.send("EHLO relay-probe.example");
            assertThat(client.send("MAIL FROM:<spammer@elsewhere.example>")).isEqualTo(AUTH_REQUIRED);
            assertThat(client.send("RCPT TO:<" + FOREIGN + ">")).isEqualTo(AUTH_REQUIRED);
            assertThat(client.send("DATA")).isEqualTo(AUTH_REQUIRED);
            assertThat(client.send("RSET")).startsWith("250");
            assertThat(client.send("MAIL FROM:<>")).as("null sender").isEqualTo(AUTH_REQUIRED);
            assertThat(client.send("RCPT TO:<postmaster@foreign.example>")).isEqualTo(AUTH_REQUIRED);
        }
        try (SmtpTestClient client = connect()) {
            client.send("HELO relay-probe.example");
            assertThat(client.send("MAIL FROM:<spammer@elsewhere.example>")).isEqualTo(AUTH_REQUIRED);
            assertThat(client.send("RCPT TO:<" + FOREIGN + ">")).isEqualTo(AUTH_REQUIRED);
        }
        try (SmtpTestClient client = connect()) {
            // pipelined, as a relay probe would send it: every command is refused
            client.send("EHLO relay-probe.example");
            client.write("MAIL FROM:<spammer@elsewhere.example>\r\nRCPT TO:<" + FOREIGN + ">\r\nDATA\r\n");
            assertThat(List.of(client.reply(), client.reply(), client.reply()))
                    .containsExactly(AUTH_REQUIRED, AUTH_REQUIRED, AUTH_REQUIRED);
        }

        assertThat(spoolSegments()).as("nothing reached the spool").isEmpty();
        assertThat(server.server().delivery().queued()).isZero();
        // a legitimate message sent after the probes is the only one that ever arrives
        String id = submitAuthenticated("rcpt@example.com");
        assertThat(id).isNotBlank();
        List<ReceivedMessage> received = sink.awaitMessages(1, WAIT);
        assertThat(received)
                .singleElement()
                .satisfies(m -> assertThat(m.recipients()).containsExactly("rcpt@example.com"));
        assertThat(received.stream().flatMap(m -> m.recipients().stream()))
                .doesNotContain(FOREIGN, "postmaster@foreign.example");
    }

    @Test
    void wrongPasswordIs535AndStillNoRelay() throws IOException {
        String smtpUser = server.admin()
                .ok("POST", "/accounts/acme/smtp-credentials", "{}")
                .get("Username")
                .asText();
        try (SmtpTestClient client = connect()) {
            assertThat(client.login(
                            acme.accessKeyId(), SesSmtpPassword.derive(acme.secretAccessKey(), "us-east-1") + "x"))
                    .isEqualTo("535 5.7.8 Authentication credentials invalid");
            assertThat(client.send("AUTH PLAIN " + SmtpTestClient.plain(acme.accessKeyId(), acme.secretAccessKey())))
                    .as("the raw secret key is not the SMTP password")
                    .startsWith("535 5.7.8");
            assertThat(client.send("AUTH PLAIN " + SmtpTestClient.plain(smtpUser, "wrong-password")))
                    .isEqualTo("535 5.7.8 Authentication credentials invalid");
            assertThat(client.send("MAIL FROM:<sender@acme.test>")).isEqualTo(AUTH_REQUIRED);
            assertThat(client.send("RCPT TO:<" + FOREIGN + ">")).isEqualTo(AUTH_REQUIRED);
        }
        assertThat(spoolSegments()).as("nothing reached the spool").isEmpty();
    }

    @Test
    void accessKeyWithSesSmtpPasswordSendsFromTheDefaultPool() throws IOException {
        String reply;
        try (SmtpTestClient client = connect()) {
            assertThat(client.login(acme.accessKeyId(), SesSmtpPassword.derive(acme.secretAccessKey(), "us-east-1")))
                    .isEqualTo("235 Authentication successful.");
            reply = submit(client, "sender@acme.test", List.of("rcpt@example.com"), MESSAGE);
            assertThat(client.send("QUIT")).startsWith("221");
        }

        assertThat(reply).startsWith("250 Ok: queued as ");
        assertThat(spoolSegments()).as("acknowledged only once spooled").isNotEmpty();
        ReceivedMessage m = sink.awaitMessages(1, WAIT).getFirst();
        assertThat(m.sourceAddress()).as("ses-default-dedicated-pool of acme").isEqualTo(DEFAULT_POOL_IP);
        assertThat(m.ehloName()).isEqualTo("[" + DEFAULT_POOL_IP + "]");
        String id = reply.substring("250 Ok: queued as ".length());
        assertThat(m.mailFrom()).as("the message's return path").isEqualTo(id + "@bounces.poolmta.localhost");
        assertThat(m.recipients()).containsExactly("rcpt@example.com");
        assertThat(m.text()).contains("Subject: hello").contains("Message-ID: <" + id + "@");
    }

    @Test
    void aPausedConfigurationSetIsRefusedWith554() throws IOException {
        String reply = submitWithSet("newsletters");

        assertThat(reply).isEqualTo("554 5.7.1 Sending is paused for configuration set newsletters.");
        assertThat(spoolSegments()).isEmpty();
    }

    @Test
    void anUnknownConfigurationSetIsRefusedWith554() throws IOException {
        String reply = submitWithSet("ghost");

        assertThat(reply).startsWith("554 5.6.0 ").contains("ghost").contains("does not exist");
        assertThat(spoolSegments()).isEmpty();
    }

    @Test
    void aConfigurationSetWhosePoolHasNoIpsIsRefusedWith554NamingThePool() throws IOException {
        String reply = submitWithSet("nowhere");

        assertThat(reply).startsWith("554 5.6.0 ").contains("Pool empty has no IPs");
        assertThat(spoolSegments()).isEmpty();
    }

    @Test
    void refusalEndsTheTransactionButNotTheSession() throws IOException {
        try (SmtpTestClient client = loggedIn()) {
            assertThat(submit(
                            client,
                            "sender@acme.test",
                            List.of("rcpt@example.com"),
                            "X-SES-CONFIGURATION-SET: nowhere\r\n" + MESSAGE))
                    .startsWith("554 ");
            assertThat(submit(client, "sender@acme.test", List.of("rcpt@example.com"), MESSAGE))
                    .startsWith("250 ");
        }
        assertThat(sink.awaitMessages(1, WAIT))
                .singleElement()
                .satisfies(m -> assertThat(m.sourceAddress()).isEqualTo(DEFAULT_POOL_IP));
    }

    @Test
    void theFiftyFirstRecipientIsRefused() throws IOException {
        List<String> recipients = new ArrayList<>();
        for (int i = 1; i <= 51; i++) {
            recipients.add("rcpt" + i + "@example.com");
        }
        String dataReply;
        try (SmtpTestClient client = loggedIn()) {
            assertThat(client.send("MAIL FROM:<sender@acme.test>")).isEqualTo("250 Ok");
            for (String rcpt : recipients.subList(0, 50)) {
                assertThat(client.send("RCPT TO:<" + rcpt + ">")).as(rcpt).isEqualTo("250 Ok");
            }
            assertThat(client.send("RCPT TO:<rcpt51@example.com>")).isEqualTo("452 4.5.3 Too many recipients");
            assertThat(client.send("RCPT TO:<rcpt52@example.com>")).startsWith("452 ");
            assertThat(client.send("DATA")).startsWith("354 ");
            client.write(MESSAGE + ".\r\n");
            dataReply = client.reply();
        }

        assertThat(dataReply).startsWith("250 ");
        sink.awaitMessages(1, WAIT);
        List<String> delivered =
                sink.messages().stream().flatMap(m -> m.recipients().stream()).toList();
        assertThat(delivered)
                .containsExactlyInAnyOrderElementsOf(recipients.subList(0, 50))
                .doesNotContain("rcpt51@example.com", "rcpt52@example.com");
    }

    /** A malformed recipient is refused at its RCPT; the message still goes to the good ones. */
    @Test
    void aMalformedRecipientIsRefusedAtItsRcptAndTheOthersGetTheMessage() throws IOException {
        String dataReply;
        try (SmtpTestClient client = loggedIn()) {
            assertThat(client.send("MAIL FROM:<sender@acme.test>")).isEqualTo("250 Ok");
            assertThat(client.send("RCPT TO:<first@example.com>")).isEqualTo("250 Ok");
            for (String bad : List.of("not-an-address", "two@@example.com", "nodot@localhost", "x@-bad-.example.com")) {
                assertThat(client.send("RCPT TO:<" + bad + ">")).as(bad).startsWith("501 5.1.3 ");
            }
            assertThat(client.send("RCPT TO:<second@example.com>")).isEqualTo("250 Ok");
            assertThat(client.send("DATA")).startsWith("354 ");
            client.write(MESSAGE + ".\r\n");
            dataReply = client.reply();
            assertThat(client.send("MAIL FROM:<sender@localhost>")).startsWith("501 5.1.7 ");
        }

        assertThat(dataReply).startsWith("250 Ok: queued as ");
        List<ReceivedMessage> received = sink.awaitMessages(1, WAIT);
        assertThat(received.stream().flatMap(m -> m.recipients().stream()))
                .containsExactlyInAnyOrder("first@example.com", "second@example.com");
    }

    // --- helpers -------------------------------------------------------------------------------

    private SmtpTestClient connect() throws IOException {
        return SmtpTestClient.connect(server.smtpPort());
    }

    private SmtpTestClient loggedIn() throws IOException {
        SmtpTestClient client = connect();
        assertThat(client.login(acme.accessKeyId(), SesSmtpPassword.derive(acme.secretAccessKey(), "eu-west-1")))
                .isEqualTo("235 Authentication successful.");
        return client;
    }

    /** One authenticated message to {@code rcpt}; returns its id from the 250 reply. */
    private String submitAuthenticated(String rcpt) throws IOException {
        try (SmtpTestClient client = loggedIn()) {
            String reply = submit(client, "sender@acme.test", List.of(rcpt), MESSAGE);
            assertThat(reply).startsWith("250 Ok: queued as ");
            return reply.substring("250 Ok: queued as ".length());
        }
    }

    /** An authenticated message that selects a configuration set by header; returns the reply to ".". */
    private String submitWithSet(String set) throws IOException {
        try (SmtpTestClient client = loggedIn()) {
            return submit(
                    client,
                    "sender@acme.test",
                    List.of("rcpt@example.com"),
                    "X-SES-CONFIGURATION-SET: " + set + "\r\n" + MESSAGE);
        }
    }

    /** MAIL, RCPT…, DATA, the content (ending in CRLF), "."; returns the reply to ".". */
    private static String submit(SmtpTestClient client, String from, List<String> to, String content)
            throws IOException {
        assertThat(client.send("MAIL FROM:<" + from + ">")).isEqualTo("250 Ok");
        for (String rcpt : to) {
            assertThat(client.send("RCPT TO:<" + rcpt + ">")).isEqualTo("250 Ok");
        }
        assertThat(client.send("DATA")).startsWith("354 ");
        client.write(content + ".\r\n");
        return client.reply();
    }

    /** The spool's segment files: none until a message has been stored. */
    private List<Path> spoolSegments() throws IOException {
        Path spool = server.dataDir().resolve("spool");
        if (!Files.isDirectory(spool)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(spool)) {
            return files.filter(f -> f.getFileName().toString().startsWith("segment-"))
                    .toList();
        }
    }
}
