package io.poolmta.submission;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SMTP submission under abuse: bad commands, over-long lines, bare LF, NUL bytes, huge SIZE
 * declarations, pipelining floods and random bytes get SMTP error replies (never a hang or a crash),
 * nothing is relayed, and the server still serves a well-behaved client afterwards.
 */
class SmtpFuzzTest {
    @TempDir
    Path dir;

    TestServer server;
    ScriptedSmtpServer sink;
    String user;
    String password;

    @BeforeEach
    void setUp() {
        server = TestServer.start(dir);
        sink = ScriptedSmtpServer.acceptingAll();
        server.route("example.com", sink.nextHop().toString());
        TestAccount acme = server.createAccount("acme");
        server.leaseIps(acme, "127.0.0.11");
        var creds = server.admin().ok("POST", "/accounts/acme/smtp-credentials", "{}");
        user = creds.get("Username").asText();
        password = creds.get("Password").asText();
    }

    @AfterEach
    void tearDown() {
        server.close();
        sink.close();
    }

    @Test
    void badCommandsGetErrorRepliesAndTheServerStaysUp() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.connect(server.smtpPort())) {
            assertThat(c.greeting()).startsWith("220");
            assertThat(c.send("FROBNICATE now")).startsWith("5");
            assertThat(c.send("DATA")).startsWith("5");
            assertThat(c.send("RCPT TO:<x@example.com>")).startsWith("5");
            assertThat(c.send("MAIL FROM:<x@acme.test>")).startsWith("530");
            assertThat(c.send("EHLO client.test")).startsWith("250");
            assertThat(c.send("AUTH PLAIN !!!notbase64!!!")).startsWith("5");
            assertThat(c.send("AUTH CRAM-MD5")).startsWith("5");
            assertThat(c.send("HELO")).startsWith("5");
        }
        assertStillServes();
    }

    @Test
    void overLongLinesBareLfAndNulBytesAreRefusedWithoutHanging() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.connect(server.smtpPort())) {
            c.greeting();
            c.write("EHLO " + "a".repeat(5000) + "\r\n");
            assertThat(c.replyWithin(5000)).startsWith("5");
        } catch (IOException closedByServer) {
            // closing the connection on an over-long line is an acceptable answer too
        }
        // a bare LF does not end a command (RFC 5321 §2.3.8; no SMTP smuggling): the line ends at CRLF
        try (SmtpTestClient c = SmtpTestClient.connect(server.smtpPort())) {
            c.greeting();
            c.write("EHLO bare.lf\nMAIL FROM:<smuggled@acme.test>\r\n");
            assertThat(c.replyWithin(5000)).matches("^[25]\\d\\d.*");
            assertThat(c.replyWithin(500)).as("only one command was seen").isNull();
            c.write("NOOP\u0000\u0001\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertThat(c.replyWithin(5000)).matches("^[25]\\d\\d.*");
        } catch (IOException closedByServer) {
            // hanging up on a malformed line is acceptable
        }
        assertStillServes();
    }

    @Test
    void aHugeSizeDeclarationIsRefusedBeforeData() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.connect(server.smtpPort())) {
            c.greeting();
            c.send("EHLO client.test");
            assertThat(c.login(user, password)).startsWith("235");
            assertThat(c.send("MAIL FROM:<s@acme.test> SIZE=99999999999")).startsWith("552");
        }
        assertStillServes();
    }

    @Test
    void aPipeliningFloodIsAnsweredInOrder() throws Exception {
        try (SmtpTestClient c = SmtpTestClient.connect(server.smtpPort())) {
            c.greeting();
            StringBuilder flood = new StringBuilder("EHLO flood.test\r\n");
            for (int i = 0; i < 500; i++) {
                flood.append("NOOP\r\n");
            }
            c.write(flood.toString());
            assertThat(c.replyWithin(5000)).startsWith("250");
            for (int i = 0; i < 500; i++) {
                assertThat(c.replyWithin(5000)).as("NOOP %d", i).startsWith("250");
            }
        }
        assertStillServes();
    }

    @Test
    void randomGarbageNeverHangsOrRelays() throws Exception {
        Random random = new Random(20261126);
        for (int session = 0; session < 60; session++) {
            try (Socket socket = new Socket("127.0.0.1", server.smtpPort())) {
                socket.setSoTimeout(3000);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                readSome(in);
                byte[] garbage = new byte[1 + random.nextInt(4096)];
                random.nextBytes(garbage);
                if (random.nextBoolean()) {
                    garbage = ("MAIL FROM:<a@b.c>\r\nRCPT TO:<v@example.com>\r\nDATA\r\n"
                                    + new String(garbage, StandardCharsets.ISO_8859_1) + "\r\n.\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1);
                }
                out.write(garbage);
                out.write("\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                readSome(in);
            } catch (IOException serverClosed) {
                // the server may hang up on garbage; it must not hang or die
            }
        }
        assertThat(sink.messages()).as("nothing relayed without AUTH").isEmpty();
        assertStillServes();
    }

    /** A well-behaved client can still log in and send, and the message arrives. */
    private void assertStillServes() throws Exception {
        int before = sink.messages().size();
        try (SmtpTestClient c = SmtpTestClient.connect(server.smtpPort())) {
            assertThat(c.greeting()).startsWith("220");
            assertThat(c.send("EHLO good.client")).startsWith("250");
            assertThat(c.login(user, password)).startsWith("235");
            assertThat(c.send("MAIL FROM:<s@acme.test>")).startsWith("250");
            assertThat(c.send("RCPT TO:<to@example.com>")).startsWith("250");
            assertThat(c.send("DATA")).startsWith("354");
            assertThat(c.send("From: s@acme.test\r\nSubject: still here\r\n\r\nhello\r\n."))
                    .startsWith("250");
            c.send("QUIT");
        }
        assertThat(sink.awaitMessages(before + 1, Duration.ofSeconds(20))).hasSize(before + 1);
    }

    private static void readSome(InputStream in) throws IOException {
        byte[] buf = new byte[8192];
        try {
            in.read(buf);
        } catch (SocketTimeoutException e) {
            // nothing more to read
        }
    }
}
