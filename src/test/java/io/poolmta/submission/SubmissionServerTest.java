package io.poolmta.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolmta.account.AccountService;
import io.poolmta.account.NewAccount;
import io.poolmta.account.NewSmtpCredential;
import io.poolmta.account.SmtpCredentialService;
import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import io.poolmta.sending.EnvelopeIntake;
import io.poolmta.spool.SpoolException;
import io.poolmta.store.Database;
import io.poolmta.store.JdbcAccountStore;
import io.poolmta.store.JdbcSmtpCredentialStore;
import io.poolmta.testing.MutableClock;
import jakarta.mail.AuthenticationFailedException;
import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The submission server over loopback, read as SMTP transcripts: raw sockets for the exact bytes,
 * Jakarta Mail (Angus) as a real client. Authentication is real (accounts, SMTP credentials and
 * access keys in H2); the {@link EnvelopeIntake} is a recording double.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SubmissionServerTest {
    @TempDir
    static Path dir;

    static Database database;
    static SmtpCredentialService credentials;
    static AccountService accounts;
    static NewAccount acme;
    static NewSmtpCredential acmeSmtp;
    static SSLContext serverTls;
    static SSLContext clientTls;

    final MutableClock clock = MutableClock.startingNow();
    final RecordingHandler handler = new RecordingHandler();
    final List<SubmissionServer> servers = new ArrayList<>();
    SubmissionServer server;

    @BeforeAll
    static void accountsAndCertificates() throws Exception {
        database = Database.openEmbedded(dir.resolve("db"));
        accounts = new AccountService(new JdbcAccountStore(database.jdbc()), database.jdbc(), Clock.systemUTC());
        credentials = new SmtpCredentialService(
                new JdbcSmtpCredentialStore(database.jdbc()), accounts, database.jdbc(), Clock.systemUTC());
        acme = accounts.create("acme");
        acmeSmtp = credentials.create("acme");
        serverTls = TlsCertificates.serverContext(Optional.empty(), null, dir, "localhost", Clock.systemUTC());
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry(
                "poolmta",
                TlsCertificatesTest.certificate(
                        dir.resolve(TlsCertificates.GENERATED_FILE), TlsCertificates.GENERATED_PASSWORD.toCharArray()));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        clientTls = SSLContext.getInstance("TLS");
        clientTls.init(null, trust.getTrustManagers(), null);
    }

    @AfterAll
    static void closeDatabase() {
        database.close();
    }

    @BeforeEach
    void startServer() throws IOException {
        server = start(SubmissionSettings.defaults());
    }

    /** A server on a free port; failed AUTHs wait 10 ms per failure instead of a second (see {@link #failedAuthIsAnsweredLaterEachTime}). */
    SubmissionServer start(SubmissionSettings settings) throws IOException {
        return startExactly(settings.withAuthFailureDelay(Duration.ofMillis(10)));
    }

    SubmissionServer startExactly(SubmissionSettings settings) throws IOException {
        SubmissionServer started = SubmissionServer.start(
                settings.withAddress("127.0.0.1", 0),
                serverTls,
                new AccountSmtpAuthenticator(credentials, accounts::key),
                handler,
                clock);
        servers.add(started);
        return started;
    }

    @AfterEach
    void stopServers() {
        servers.forEach(SubmissionServer::close);
    }

    SmtpTestClient connect() throws IOException {
        return SmtpTestClient.connect(server.port());
    }

    SmtpTestClient loggedIn() throws IOException {
        SmtpTestClient client = connect();
        assertThat(client.login(acmeSmtp.username(), acmeSmtp.password())).isEqualTo("235 Authentication successful.");
        return client;
    }

    /** MAIL, RCPT…, DATA, the content (already dot-stuffed, ending in CRLF), "."; returns the final reply. */
    static String submit(SmtpTestClient client, String from, List<String> to, String wireContent) throws IOException {
        assertThat(client.send("MAIL FROM:<" + from + ">")).isEqualTo("250 Ok");
        for (String rcpt : to) {
            assertThat(client.send("RCPT TO:<" + rcpt + ">")).isEqualTo("250 Ok");
        }
        assertThat(client.send("DATA")).startsWith("354 ");
        client.write(wireContent + ".\r\n");
        return client.reply();
    }

    static final String SIMPLE = "From: sender@example.com\r\nTo: rcpt@example.net\r\nSubject: hi\r\n\r\nHello.\r\n";

    // --- greeting and EHLO ---------------------------------------------------------------------

    @Test
    void greetsAndAdvertisesItsExtensions() throws IOException {
        assertThat(server.port()).isPositive();
        try (SmtpTestClient client = connect()) {
            assertThat(client.greeting()).isEqualTo("220 localhost ESMTP PoolMTA");
            assertThat(client.send("EHLO client.example.test"))
                    .as("AUTH only after STARTTLS")
                    .isEqualTo("""
                    250-localhost
                    250-PIPELINING
                    250-SIZE 41943040
                    250-8BITMIME
                    250 STARTTLS""");
            assertThat(client.send("BDAT 10 LAST")).startsWith("502 5.5.1");
            assertThat(client.send("QUIT")).startsWith("221");
        }
    }

    // --- no open relay ---------------------------------------------------------------------------

    @Test
    void unauthenticatedClientCannotRelay() throws IOException {
        try (SmtpTestClient client = connect()) {
            client.hello();
            assertThat(client.send("MAIL FROM:<sender@example.com>")).isEqualTo("530 5.7.0 Authentication required");
            assertThat(client.send("RCPT TO:<victim@gmail.com>")).isEqualTo("530 5.7.0 Authentication required");
            assertThat(client.send("DATA")).isEqualTo("530 5.7.0 Authentication required");
            assertThat(client.send("AUTH PLAIN " + SmtpTestClient.plain(acmeSmtp.username(), "wrong")))
                    .startsWith("535 5.7.8");
            assertThat(client.send("MAIL FROM:<sender@example.com>")).isEqualTo("530 5.7.0 Authentication required");
            assertThat(client.send("RCPT TO:<victim@example.org>")).isEqualTo("530 5.7.0 Authentication required");
        }
        try (SmtpTestClient client = connect()) {
            client.send("HELO client.example.test");
            assertThat(client.send("MAIL FROM:<>")).isEqualTo("530 5.7.0 Authentication required");
        }
        assertThat(handler.accepted).isEmpty();
    }

    // --- AUTH ------------------------------------------------------------------------------------

    @Test
    void authPlainWithInitialResponse() throws IOException {
        try (SmtpTestClient client = loggedIn()) {
            assertThat(submit(client, "sender@example.com", List.of("rcpt@example.net"), SIMPLE))
                    .isEqualTo("250 Ok: queued as msg-1");
            assertThat(client.send("AUTH PLAIN " + SmtpTestClient.plain(acmeSmtp.username(), acmeSmtp.password())))
                    .startsWith("503");
        }
        assertThat(handler.accepted).singleElement().satisfies(s -> {
            assertThat(s.accountId()).isEqualTo(acme.account().id());
            assertThat(s.mailFrom()).isEqualTo("sender@example.com");
            assertThat(s.recipients()).containsExactly("rcpt@example.net");
        });
    }

    @Test
    void authPlainWithChallenge() throws IOException {
        try (SmtpTestClient client = connect()) {
            client.hello();
            assertThat(client.send("AUTH PLAIN")).isEqualTo("334 ");
            assertThat(client.send(SmtpTestClient.plain(acmeSmtp.username(), acmeSmtp.password())))
                    .isEqualTo("235 Authentication successful.");
        }
    }

    @Test
    void authPlainWithBadCredentialsIsRefused() throws IOException {
        try (SmtpTestClient client = connect()) {
            client.hello();
            assertThat(client.send(
                            "AUTH PLAIN " + SmtpTestClient.plain(acmeSmtp.username(), acmeSmtp.password() + "x")))
                    .isEqualTo("535 5.7.8 Authentication credentials invalid");
            assertThat(client.send("AUTH PLAIN " + SmtpTestClient.plain("SMPMNOSUCHUSER000000", acmeSmtp.password())))
                    .isEqualTo("535 5.7.8 Authentication credentials invalid");
            assertThat(client.send("AUTH PLAIN "
                            + SmtpTestClient.base64("someone\0" + acmeSmtp.username() + "\0" + acmeSmtp.password())))
                    .as("acting for another identity")
                    .isEqualTo("535 5.7.8 Authentication credentials invalid");
            assertThat(client.send("AUTH PLAIN !!notbase64")).startsWith("501 5.5.2");
            assertThat(client.send("AUTH PLAIN " + SmtpTestClient.base64("no nul here")))
                    .startsWith("501 5.5.2");
            assertThat(client.send("AUTH CRAM-MD5")).startsWith("504");
            assertThat(client.send("AUTH PLAIN")).isEqualTo("334 ");
            assertThat(client.send("*")).startsWith("501");
            assertThat(client.send("MAIL FROM:<sender@example.com>")).isEqualTo("530 5.7.0 Authentication required");
        }
    }

    @Test
    void authLogin() throws IOException {
        try (SmtpTestClient client = connect()) {
            client.hello();
            assertThat(client.send("AUTH LOGIN")).isEqualTo("334 VXNlcm5hbWU6");
            assertThat(client.send(SmtpTestClient.base64(acmeSmtp.username()))).isEqualTo("334 UGFzc3dvcmQ6");
            assertThat(client.send(SmtpTestClient.base64(acmeSmtp.password())))
                    .isEqualTo("235 Authentication successful.");
            assertThat(submit(client, "sender@example.com", List.of("rcpt@example.net"), SIMPLE))
                    .startsWith("250 ");
        }
        try (SmtpTestClient client = connect()) {
            client.hello();
            assertThat(client.send("AUTH LOGIN " + SmtpTestClient.base64(acmeSmtp.username())))
                    .isEqualTo("334 UGFzc3dvcmQ6");
            assertThat(client.send(SmtpTestClient.base64("wrong")))
                    .isEqualTo("535 5.7.8 Authentication credentials invalid");
        }
    }

    @Test
    void sesSmtpPasswordOfAnAccessKeyIsAccepted() throws IOException {
        String accessKeyId = acme.key().accessKeyId();
        String secret = acme.key().secretAccessKey();
        for (String region : List.of("us-east-1", "eu-central-2", "us-gov-west-1")) {
            try (SmtpTestClient client = connect()) {
                assertThat(client.login(accessKeyId, SesSmtpPassword.derive(secret, region)))
                        .as(region)
                        .isEqualTo("235 Authentication successful.");
                assertThat(submit(client, "sender@example.com", List.of("rcpt@example.net"), SIMPLE))
                        .startsWith("250 ");
            }
        }
        assertThat(handler.accepted)
                .hasSize(3)
                .allSatisfy(
                        s -> assertThat(s.accountId()).isEqualTo(acme.account().id()));
        try (SmtpTestClient client = connect()) {
            assertThat(client.login(accessKeyId, secret))
                    .as("the raw secret is not the password")
                    .startsWith("535");
            assertThat(client.send("AUTH PLAIN "
                            + SmtpTestClient.plain(accessKeyId, SesSmtpPassword.derive(secret, "xx-nowhere-1"))))
                    .startsWith("535");
        }
    }

    @Test
    void failedAuthIsAnsweredLaterEachTime() throws IOException {
        Duration step = Duration.ofMillis(200);
        SubmissionServer slow = startExactly(SubmissionSettings.defaults().withAuthFailureDelay(step));
        try (SmtpTestClient client = SmtpTestClient.connect(slow.port())) {
            client.hello();
            for (int n = 1; n <= 3; n++) {
                long start = System.nanoTime();
                assertThat(client.send("AUTH PLAIN " + SmtpTestClient.plain(acmeSmtp.username(), "guess" + n)))
                        .isEqualTo("535 5.7.8 Authentication credentials invalid");
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .as("failure %d", n)
                        .isGreaterThanOrEqualTo(step.multipliedBy(n));
            }
            assertThat(client.send("AUTH PLAIN " + SmtpTestClient.plain(acmeSmtp.username(), acmeSmtp.password())))
                    .as("three failures slow the client down but do not lock it out")
                    .isEqualTo("235 Authentication successful.");
        }
    }

    /** Closing the server does not wait out a failed AUTH's delay: the session answers and ends at once. */
    @Test
    void closingDoesNotWaitForASlowedDownAuth() throws Exception {
        SubmissionServer slow =
                startExactly(SubmissionSettings.defaults().withAuthFailureDelay(Duration.ofSeconds(30)));
        CompletableFuture<String> reply = new CompletableFuture<>();
        Thread guesser = Thread.ofPlatform().start(() -> {
            try (SmtpTestClient client = SmtpTestClient.connect(slow.port())) {
                client.hello();
                reply.complete(client.send("AUTH PLAIN " + SmtpTestClient.plain(acmeSmtp.username(), "guess")));
            } catch (Exception e) {
                reply.complete(e.toString());
            }
        });
        Awaitility.await().pollDelay(Duration.ofMillis(300)).until(() -> true); // the AUTH is in
        long start = System.nanoTime();
        slow.close();
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .as("close, against a 30 s delay")
                .isLessThan(Duration.ofSeconds(10));
        guesser.join(Duration.ofSeconds(10));
        assertThat(reply).isDone();
    }

    @Test
    void repeatedAuthFailuresLockTheClientOut() throws IOException {
        try (SmtpTestClient client = connect()) {
            client.hello();
            for (int i = 0; i < 5; i++) {
                assertThat(client.send("AUTH PLAIN " + SmtpTestClient.plain(acmeSmtp.username(), "guess" + i)))
                        .isEqualTo("535 5.7.8 Authentication credentials invalid");
            }
            assertThat(client.send("AUTH PLAIN " + SmtpTestClient.plain(acmeSmtp.username(), acmeSmtp.password())))
                    .isEqualTo("454 4.7.0 Too many failed authentication attempts, try again later");
        }
        try (SmtpTestClient client = connect()) {
            assertThat(client.login(acmeSmtp.username(), acmeSmtp.password())).startsWith("454 4.7.0");
            assertThat(client.send("MAIL FROM:<sender@example.com>")).startsWith("530");
        }
        clock.advance(Duration.ofMinutes(14));
        try (SmtpTestClient client = connect()) {
            assertThat(client.login(acmeSmtp.username(), acmeSmtp.password())).startsWith("454 4.7.0");
        }
        clock.advance(Duration.ofMinutes(1));
        try (SmtpTestClient client = connect()) {
            assertThat(client.login(acmeSmtp.username(), acmeSmtp.password()))
                    .isEqualTo("235 Authentication successful.");
        }
    }

    /**
     * Thirty sessions from one address send AUTH at the same moment, 29 with a wrong password and
     * one with the right one: attempts in flight count against the limit, so at most five wrong
     * passwords are ever checked (the fifth locks), every other attempt is answered 454 4.7.0, and
     * the address is locked afterwards.
     */
    @Test
    void concurrentSessionsCannotGetPastTheLockout() throws Exception {
        int sessions = 30;
        List<SmtpTestClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < sessions; i++) {
                SmtpTestClient client = connect();
                client.hello();
                clients.add(client);
            }
            CountDownLatch go = new CountDownLatch(1);
            List<java.util.concurrent.Future<String>> replies = new ArrayList<>();
            try (var threads = java.util.concurrent.Executors.newThreadPerTaskExecutor(
                    Thread.ofPlatform().factory())) {
                for (int i = 0; i < sessions; i++) {
                    SmtpTestClient client = clients.get(i);
                    String password = i == sessions / 2 ? acmeSmtp.password() : "guess" + i;
                    replies.add(threads.submit(() -> {
                        go.await();
                        return client.send("AUTH PLAIN " + SmtpTestClient.plain(acmeSmtp.username(), password));
                    }));
                }
                long start = System.nanoTime();
                go.countDown();
                List<String> answers = new ArrayList<>();
                for (var reply : replies) {
                    answers.add(reply.get(30, TimeUnit.SECONDS));
                }
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
                assertThat(answers).allSatisfy(a -> assertThat(a).matches("(535 5\\.7\\.8|454 4\\.7\\.0|235) .*"));
                assertThat(answers.stream().filter(a -> a.startsWith("535")).count())
                        .as("wrong passwords checked: %s", answers)
                        .isBetween(1L, 5L);
                assertThat(answers.stream().filter(a -> a.startsWith("454")).count())
                        .as("refused unchecked")
                        .isGreaterThanOrEqualTo(sessions - 6L);
            }
        } finally {
            for (SmtpTestClient client : clients) {
                client.close();
            }
        }
        try (SmtpTestClient client = connect()) {
            assertThat(client.login(acmeSmtp.username(), acmeSmtp.password()))
                    .as("locked out afterwards")
                    .startsWith("454 4.7.0");
        }
    }

    // --- TLS -------------------------------------------------------------------------------------

    @Test
    void startTlsThenAuthThenMessage() throws IOException {
        try (SmtpTestClient client = connect()) {
            client.send("EHLO client.example.test");
            client.startTls(clientTls);
            assertThat(client.isTls()).isTrue();
            assertThat(client.send("EHLO client.example.test"))
                    .doesNotContain("STARTTLS")
                    .contains("250 AUTH PLAIN LOGIN");
            assertThat(client.send("STARTTLS")).startsWith("454");
            assertThat(client.send("AUTH PLAIN " + SmtpTestClient.plain(acmeSmtp.username(), acmeSmtp.password())))
                    .isEqualTo("235 Authentication successful.");
            assertThat(submit(client, "sender@example.com", List.of("rcpt@example.net"), SIMPLE))
                    .isEqualTo("250 Ok: queued as msg-1");
        }
        assertThat(handler.accepted).hasSize(1);
    }

    @Test
    void commandsPipelinedBehindStartTlsAreNotExecuted() throws IOException {
        try (SmtpTestClient client = connect()) {
            client.send("EHLO client.example.test");
            // injected in clear text behind STARTTLS (CVE-2011-0411): must be dropped, not answered after TLS
            client.write("STARTTLS\r\nAUTH PLAIN " + SmtpTestClient.plain(acmeSmtp.username(), acmeSmtp.password())
                    + "\r\n");
            client.startTlsAfter(client.reply(), clientTls);
            assertThat(client.send("NOOP")).startsWith("250");
            assertThat(client.send("MAIL FROM:<sender@example.com>")).isEqualTo("530 5.7.0 Authentication required");
        }
    }

    @Test
    void jakartaMailSendsOverStartTlsWithAuth() throws Exception {
        Properties props = jakartaProperties();
        props.put("mail.smtp.starttls.enable", "true");
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.socketFactory", clientTls.getSocketFactory());
        props.put("mail.smtp.ssl.checkserveridentity", "true");
        MimeMessage message = message(Session.getInstance(props), "Grüße über TLS");
        Transport.send(message, acmeSmtp.username(), acmeSmtp.password());

        assertThat(handler.accepted).singleElement().satisfies(s -> {
            assertThat(s.accountId()).isEqualTo(acme.account().id());
            assertThat(s.mailFrom()).isEqualTo("sender@example.com");
            assertThat(s.recipients()).containsExactly("rcpt@example.net", "cc@example.org");
            assertThat(new String(s.content(), StandardCharsets.UTF_8)).contains("Subject: =?UTF-8?");
        });
    }

    @Test
    void jakartaMailAuthLoginAndRefusal() throws Exception {
        Properties props = jakartaProperties();
        props.put("mail.smtp.auth.mechanisms", "LOGIN");
        Session session = Session.getInstance(props);
        Transport.send(message(session, "login"), acmeSmtp.username(), acmeSmtp.password());
        assertThat(handler.accepted).hasSize(1);
        assertThatThrownBy(() -> Transport.send(message(session, "refused"), acmeSmtp.username(), "wrong"))
                .isInstanceOf(AuthenticationFailedException.class);
        assertThat(handler.accepted).hasSize(1);
    }

    @Test
    void byDefaultAuthIsHiddenAndRefusedUntilStartTls() throws IOException {
        try (SmtpTestClient client = connect()) {
            assertThat(client.send("EHLO client.example.test"))
                    .contains("250 STARTTLS")
                    .doesNotContain("AUTH");
            assertThat(client.send("AUTH PLAIN " + SmtpTestClient.plain(acmeSmtp.username(), acmeSmtp.password())))
                    .isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
            assertThat(client.send("MAIL FROM:<sender@example.com>")).isEqualTo("530 5.7.0 Authentication required");
            client.startTls(clientTls);
            assertThat(client.send("EHLO client.example.test")).contains("250 AUTH PLAIN LOGIN");
            assertThat(client.send("AUTH PLAIN " + SmtpTestClient.plain(acmeSmtp.username(), acmeSmtp.password())))
                    .isEqualTo("235 Authentication successful.");
            assertThat(submit(client, "sender@example.com", List.of("rcpt@example.net"), SIMPLE))
                    .startsWith("250 ");
        }
    }

    @Test
    void cleartextAuthCanBeAllowedForLoopbackOnlySetUps() throws IOException {
        server = start(SubmissionSettings.defaults().withAllowCleartextAuth(true));
        try (SmtpTestClient client = connect()) {
            assertThat(client.send("EHLO client.example.test"))
                    .contains("250-STARTTLS")
                    .endsWith("250 AUTH PLAIN LOGIN");
            assertThat(client.send("AUTH PLAIN " + SmtpTestClient.plain(acmeSmtp.username(), acmeSmtp.password())))
                    .isEqualTo("235 Authentication successful.");
            assertThat(submit(client, "sender@example.com", List.of("rcpt@example.net"), SIMPLE))
                    .startsWith("250 ");
        }
    }

    /**
     * The implicit-TLS listener (SMTPS) speaks TLS from the first byte, with the configured PEM
     * certificate; AUTH is offered at once; a certificate replaced on disk is used from the next
     * handshake on, and a pair whose key does not match is ignored (the previous one stays).
     */
    @Test
    void smtpsListenerUsesThePemCertificateAndPicksUpANewOne() throws Exception {
        Path pem = Files.createTempDirectory(dir, "pem");
        Path certificateFile = pem.resolve("chain.pem");
        Path keyFile = pem.resolve("key.pem");
        writePem(certificateFile, keyFile, "first.example.test");
        SSLContext tls = TlsCertificates.fromPem(certificateFile, keyFile);
        SubmissionServer smtps = SubmissionServer.start(
                SubmissionSettings.defaults()
                        .withAddress("127.0.0.1", 0)
                        .withSmtps("127.0.0.1", 0)
                        .withAuthFailureDelay(Duration.ofMillis(10)),
                tls,
                new AccountSmtpAuthenticator(credentials, accounts::key),
                handler,
                clock);
        servers.add(smtps);
        int port = smtps.smtpsAddress().orElseThrow().getPort();
        assertThat(port).isNotEqualTo(smtps.port());

        assertThat(subjectOverSmtps(port)).contains("CN=first.example.test");
        try (SmtpTestClient plain = SmtpTestClient.connect(smtps.port())) {
            plain.startTls(SmtpTestClient.TRUST_ANY);
            assertThat(plain.send("EHLO client.example.test")).contains("AUTH PLAIN LOGIN");
        }

        writePem(certificateFile, keyFile, "second.example.test");
        assertThat(subjectOverSmtps(port)).as("after the files changed").contains("CN=second.example.test");

        writePem(certificateFile, null, "third.example.test"); // the key not replaced yet
        assertThat(subjectOverSmtps(port)).as("a mismatched pair is not used").contains("CN=second.example.test");
        writePem(certificateFile, keyFile, "third.example.test");
        assertThat(subjectOverSmtps(port)).contains("CN=third.example.test");
    }

    /** Connects with implicit TLS, AUTHs and sends a message; returns the server certificate's subject. */
    private String subjectOverSmtps(int port) throws IOException {
        try (javax.net.ssl.SSLSocket socket = (javax.net.ssl.SSLSocket)
                SmtpTestClient.TRUST_ANY.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            var in = new java.io.BufferedReader(
                    new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            var out = socket.getOutputStream();
            assertThat(in.readLine()).startsWith("220 ");
            out.write("EHLO c.example.test\r\n".getBytes(StandardCharsets.US_ASCII));
            String line;
            StringBuilder ehlo = new StringBuilder();
            while ((line = in.readLine()).startsWith("250-")) {
                ehlo.append(line).append('\n');
            }
            ehlo.append(line);
            assertThat(ehlo.toString()).doesNotContain("STARTTLS").contains("AUTH PLAIN LOGIN");
            out.write(("AUTH PLAIN " + SmtpTestClient.plain(acmeSmtp.username(), acmeSmtp.password()) + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(in.readLine()).isEqualTo("235 Authentication successful.");
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0])
                    .getSubjectX500Principal()
                    .getName();
        }
    }

    /**
     * Writes a new self-signed certificate for {@code host} (and, unless keyFile is null, its key)
     * as PEM, each file with a later modification time than before.
     */
    static void writePem(Path certificateFile, Path keyFile, String host) throws Exception {
        KeyStore store = TlsCertificates.generate(host, Clock.systemUTC());
        java.security.Key key = store.getKey(TlsCertificates.ALIAS, TlsCertificates.GENERATED_PASSWORD.toCharArray());
        java.security.cert.Certificate certificate = store.getCertificate(TlsCertificates.ALIAS);
        java.util.Base64.Encoder base64 = java.util.Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        Files.writeString(
                certificateFile,
                "-----BEGIN CERTIFICATE-----\n" + base64.encodeToString(certificate.getEncoded())
                        + "\n-----END CERTIFICATE-----\n");
        Files.setLastModifiedTime(
                certificateFile,
                java.nio.file.attribute.FileTime.from(
                        Files.getLastModifiedTime(certificateFile).toInstant().plusSeconds(++pemGeneration)));
        if (keyFile != null) {
            Files.writeString(
                    keyFile,
                    "-----BEGIN PRIVATE KEY-----\n" + base64.encodeToString(key.getEncoded())
                            + "\n-----END PRIVATE KEY-----\n");
            Files.setLastModifiedTime(
                    keyFile,
                    java.nio.file.attribute.FileTime.from(
                            Files.getLastModifiedTime(keyFile).toInstant().plusSeconds(++pemGeneration)));
        }
    }

    static int pemGeneration;

    // --- messages --------------------------------------------------------------------------------

    @Test
    void messageBytesReachTheHandlerExactly() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        line(wire, expected, "From: sender@example.com", "From: sender@example.com");
        line(wire, expected, "Subject: Grüße 🚀", "Subject: Grüße 🚀");
        line(wire, expected, "Content-Type: text/plain; charset=utf-8", "Content-Type: text/plain; charset=utf-8");
        line(wire, expected, "Content-Transfer-Encoding: 8bit", "Content-Transfer-Encoding: 8bit");
        line(wire, expected, "", "");
        line(wire, expected, "..a line that starts with a dot", ".a line that starts with a dot");
        line(wire, expected, "..", ".");
        line(wire, expected, "...", "..");
        line(wire, expected, " . not at the start", " . not at the start");
        line(wire, expected, "Ünïcødé ✓ 日本語", "Ünïcødé ✓ 日本語");
        byte[] latin1 = {'c', 'a', 'f', (byte) 0xE9, '\t', (byte) 0xFF, '\r', '\n'};
        wire.writeBytes(latin1);
        expected.writeBytes(latin1);
        line(wire, expected, "last line", "last line");

        try (SmtpTestClient client = loggedIn()) {
            // pipelined: the whole envelope and DATA in one write
            client.write(
                    "MAIL FROM:<sender@example.com> BODY=8BITMIME\r\nRCPT TO:<a@example.net>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
            assertThat(client.reply()).isEqualTo("250 Ok");
            assertThat(client.reply()).isEqualTo("250 Ok");
            assertThat(client.reply()).isEqualTo("250 Ok");
            assertThat(client.reply()).startsWith("354 ");
            client.write(wire.toByteArray());
            client.write(".\r\nQUIT\r\n");
            assertThat(client.reply()).isEqualTo("250 Ok: queued as msg-1");
            assertThat(client.reply()).startsWith("221");
        }
        assertThat(handler.accepted).singleElement().satisfies(s -> {
            assertThat(s.recipients()).containsExactly("a@example.net", "b@example.org");
            assertThat(s.content()).isEqualTo(expected.toByteArray());
        });
    }

    /** "hello CRLF . LF MAIL ..." holds no end of data: the dot line arrives as it was sent. */
    @Test
    void aDotBeforeABareLineFeedIsDeliveredAsSent() throws IOException {
        String content = "Subject: dots\r\n\r\nhello\r\n.\nMAIL FROM:<smuggled@example.com>\r\n";
        try (SmtpTestClient client = loggedIn()) {
            assertThat(submit(client, "sender@example.com", List.of("rcpt@example.net"), content))
                    .isEqualTo("250 Ok: queued as msg-1");
        }
        assertThat(handler.accepted)
                .singleElement()
                .satisfies(s -> assertThat(new String(s.content(), StandardCharsets.ISO_8859_1))
                        .isEqualTo(content));
    }

    /** NUL bytes are refused anywhere; 8-bit header bytes only without BODY=8BITMIME; 8-bit bodies pass. */
    @Test
    void nulBytesAndUndeclaredEightBitHeadersAreRefused() throws IOException {
        try (SmtpTestClient client = loggedIn()) {
            assertThat(submit(
                            client,
                            "sender@example.com",
                            List.of("rcpt@example.net"),
                            "Subject: x\r\n\r\na\u0000b\r\n"))
                    .startsWith("554 5.6.0 Message contains NUL bytes");
            assertThat(submit(
                            client,
                            "sender@example.com",
                            List.of("rcpt@example.net"),
                            "Subject: Gr\u00fc\u00dfe\r\n\r\nb\r\n"))
                    .startsWith("554 5.6.0 Message headers contain 8-bit bytes");
            assertThat(submit(
                            client,
                            "sender@example.com",
                            List.of("rcpt@example.net"),
                            "Subject: x\r\n\r\nGr\u00fc\u00dfe\r\n"))
                    .as("8-bit body")
                    .startsWith("250 ");
            assertThat(client.send("MAIL FROM:<sender@example.com> BODY=8BITMIME"))
                    .isEqualTo("250 Ok");
            assertThat(client.send("RCPT TO:<rcpt@example.net>")).isEqualTo("250 Ok");
            assertThat(client.send("DATA")).startsWith("354 ");
            client.write("Subject: Gr\u00fc\u00dfe\r\n\r\nb\r\n.\r\n");
            assertThat(client.reply()).as("8-bit header declared").startsWith("250 ");
            assertThat(client.send("MAIL FROM:<sender@example.com> BODY=BINARYMIME"))
                    .startsWith("555 5.5.4");
        }
        assertThat(handler.accepted).hasSize(2);
    }

    @Test
    void theNextTransactionMayFollowTheDotInTheSameWrite() throws IOException {
        String first = "..starts with a dot\r\n\r\nbody " + "x".repeat(20_000) + "\r\n";
        try (SmtpTestClient client = loggedIn()) {
            client.write("MAIL FROM:<sender@example.com>\r\nRCPT TO:<a@example.net>\r\nDATA\r\n");
            assertThat(client.reply()).isEqualTo("250 Ok");
            assertThat(client.reply()).isEqualTo("250 Ok");
            assertThat(client.reply()).startsWith("354 ");
            // the end of one message, the whole next transaction and QUIT in one write
            client.write(first + ".\r\nMAIL FROM:<other@example.com>\r\nRCPT TO:<b@example.org>\r\nDATA\r\n");
            assertThat(client.reply()).isEqualTo("250 Ok: queued as msg-1");
            assertThat(client.reply()).isEqualTo("250 Ok");
            assertThat(client.reply()).isEqualTo("250 Ok");
            assertThat(client.reply()).startsWith("354 ");
            client.write(SIMPLE + ".\r\nQUIT\r\n");
            assertThat(client.reply()).isEqualTo("250 Ok: queued as msg-2");
            assertThat(client.reply()).startsWith("221");
        }
        assertThat(handler.accepted).hasSize(2);
        assertThat(new String(handler.accepted.get(0).content(), StandardCharsets.UTF_8))
                .isEqualTo(first.substring(1)); // RFC 5321 §4.5.2: the first line is unstuffed too
        assertThat(handler.accepted.get(1).recipients()).containsExactly("b@example.org");
        assertThat(handler.accepted.get(1).content()).isEqualTo(SIMPLE.getBytes(StandardCharsets.UTF_8));
    }

    private static void line(ByteArrayOutputStream wire, ByteArrayOutputStream expected, String sent, String received) {
        wire.writeBytes((sent + "\r\n").getBytes(StandardCharsets.UTF_8));
        expected.writeBytes((received + "\r\n").getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void acknowledgesOnlyAfterTheHandlerReturns() throws Exception {
        handler.gate = new CountDownLatch(1);
        try (SmtpTestClient client = loggedIn()) {
            client.send("MAIL FROM:<sender@example.com>");
            client.send("RCPT TO:<rcpt@example.net>");
            client.send("DATA");
            client.write(SIMPLE + ".\r\n");
            assertThat(handler.entered.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(client.replyWithin(300))
                    .as("no reply while the handler is storing")
                    .isNull();
            handler.gate.countDown();
            assertThat(client.reply()).isEqualTo("250 Ok: queued as msg-1");
        }
    }

    static Stream<Arguments> refusals() {
        return Stream.of(
                Arguments.of(
                        (Supplier<RuntimeException>) () ->
                                new PoolMtaException(ErrorKind.SENDING_PAUSED, "Sending is paused for this account."),
                        "554 5.7.1 Sending is paused for this account."),
                Arguments.of(
                        (Supplier<RuntimeException>)
                                () -> PoolMtaException.notFound("Configuration set marketing does not exist."),
                        "554 5.6.0 Configuration set marketing does not exist."),
                Arguments.of(
                        (Supplier<RuntimeException>) () -> PoolMtaException.badRequest("Bad\r\nheader."),
                        "554 5.6.0 Bad header."),
                Arguments.of(
                        (Supplier<RuntimeException>) () ->
                                new PoolMtaException(ErrorKind.MESSAGE_REJECTED, "Email address is not verified."),
                        "554 5.6.0 Email address is not verified."),
                Arguments.of(
                        (Supplier<RuntimeException>) () ->
                                new PoolMtaException(ErrorKind.TOO_MANY_REQUESTS, "Maximum sending rate exceeded."),
                        "451 4.7.0 Maximum sending rate exceeded."),
                Arguments.of(
                        (Supplier<RuntimeException>)
                                () -> new SpoolException("disk full at /var/spool/x", new IOException("ENOSPC")),
                        "451 4.3.0 could not store message, try again"),
                Arguments.of(
                        (Supplier<RuntimeException>) () -> new IllegalStateException("secret internals"),
                        "451 4.3.0 internal error, try again later"));
    }

    @ParameterizedTest
    @MethodSource("refusals")
    void handlerFailuresBecomeSmtpReplies(Supplier<RuntimeException> failure, String reply) throws IOException {
        handler.failure = failure;
        try (SmtpTestClient client = loggedIn()) {
            assertThat(submit(client, "sender@example.com", List.of("rcpt@example.net"), SIMPLE))
                    .isEqualTo(reply);
            handler.failure = null;
            // the refused transaction is over: the next one starts with MAIL, no RSET needed
            assertThat(submit(client, "sender@example.com", List.of("rcpt@example.net"), SIMPLE))
                    .isEqualTo("250 Ok: queued as msg-1");
        }
        assertThat(handler.accepted).hasSize(1);
    }

    @Test
    void theFiftyFirstRecipientIsRefused() throws IOException {
        try (SmtpTestClient client = loggedIn()) {
            assertThat(client.send("MAIL FROM:<sender@example.com>")).isEqualTo("250 Ok");
            for (int i = 1; i <= 50; i++) {
                assertThat(client.send("RCPT TO:<r" + i + "@example.net>"))
                        .as("recipient " + i)
                        .isEqualTo("250 Ok");
            }
            assertThat(client.send("RCPT TO:<r51@example.net>")).isEqualTo("452 4.5.3 Too many recipients");
            assertThat(client.send("DATA")).startsWith("354");
            client.write(SIMPLE + ".\r\n");
            assertThat(client.reply()).startsWith("250 ");
        }
        assertThat(handler.accepted)
                .singleElement()
                .satisfies(s -> assertThat(s.recipients()).hasSize(50).doesNotContain("r51@example.net"));
    }

    @Test
    void oversizeMessagesAreRefused() throws IOException {
        server = start(SubmissionSettings.defaults().withMaxMessageBytes(1024));
        String header = "Subject: big\r\n\r\n";
        String exactly = header + "x".repeat(1024 - header.length() - 2) + "\r\n";
        String tooBig = header + "x".repeat(1024 - header.length() - 1) + "\r\n";
        try (SmtpTestClient client = loggedIn()) {
            assertThat(client.send("EHLO again")).contains("250-SIZE 1024");
            assertThat(client.send("MAIL FROM:<sender@example.com> SIZE=2048")).startsWith("552 5.3.4");
            assertThat(submit(client, "sender@example.com", List.of("rcpt@example.net"), tooBig))
                    .isEqualTo("552 5.3.4 Message size exceeds fixed maximum message size");
            assertThat(submit(client, "sender@example.com", List.of("rcpt@example.net"), "x".repeat(5000) + "\r\n"))
                    .startsWith("552 5.3.4");
            assertThat(submit(client, "sender@example.com", List.of("rcpt@example.net"), exactly))
                    .isEqualTo("250 Ok: queued as msg-1");
        }
        assertThat(handler.accepted)
                .singleElement()
                .satisfies(s -> assertThat(s.content()).hasSize(1024));
    }

    // --- idle timeout (kept by IdleTimeoutSocket, not SO_TIMEOUT) --------------------------------

    @Test
    void anIdleSessionGets421AndIsClosedButActivityKeepsItOpen() throws Exception {
        server = start(SubmissionSettings.defaults().withIdleTimeout(Duration.ofMillis(400)));
        try (SmtpTestClient client = connect()) {
            client.send("EHLO client.example.test");
            long start = System.nanoTime();
            while (System.nanoTime() - start < Duration.ofMillis(1200).toNanos()) { // three idle timeouts
                Thread.sleep(100);
                assertThat(client.send("NOOP")).startsWith("250");
            }
            long idleFrom = System.nanoTime();
            assertThat(client.replyWithin(5_000)).startsWith("421");
            long waited = System.nanoTime() - idleFrom;
            assertThat(waited)
                    .isBetween(
                            Duration.ofMillis(350).toNanos(),
                            Duration.ofMillis(3_000).toNanos());
            assertThatThrownBy(client::reply).isInstanceOf(IOException.class);
        }
    }

    @Test
    void anIdleTlsSessionIsClosed() throws Exception {
        server = start(SubmissionSettings.defaults().withIdleTimeout(Duration.ofMillis(400)));
        try (SmtpTestClient client = connect()) {
            client.send("EHLO client.example.test");
            client.startTls(clientTls);
            assertThat(client.send("EHLO client.example.test")).contains("250 AUTH PLAIN LOGIN");
            long idleFrom = System.nanoTime();
            assertThatThrownBy(() -> {
                        String reply = client.replyWithin(5_000);
                        assertThat(reply)
                                .as("a reply, or the end of the connection")
                                .isNotNull()
                                .startsWith("421");
                        client.reply();
                    })
                    .isInstanceOf(IOException.class);
            assertThat(System.nanoTime() - idleFrom)
                    .isLessThan(Duration.ofMillis(4_000).toNanos());
        }
    }

    @Test
    void closeStopsListeningAndIsIdempotent() throws IOException {
        int port = server.port();
        server.close();
        server.close();
        assertThatThrownBy(() -> new Socket("127.0.0.1", port).close()).isInstanceOf(ConnectException.class);
    }

    @Test
    void aPortInUseIsAnIOException() throws IOException {
        assertThatThrownBy(() -> SubmissionServer.start(
                        SubmissionSettings.defaults().withAddress("127.0.0.1", server.port()),
                        serverTls,
                        (u, p) -> Optional.empty(),
                        handler,
                        clock))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(String.valueOf(server.port()));
    }

    // --- helpers ---------------------------------------------------------------------------------

    Properties jakartaProperties() {
        Properties props = new Properties();
        props.put("mail.smtp.host", "127.0.0.1");
        props.put("mail.smtp.port", String.valueOf(server.port()));
        props.put("mail.smtp.auth", "true");
        props.put("mail.smtp.starttls.enable", "true"); // AUTH is offered only after STARTTLS
        props.put("mail.smtp.starttls.required", "true");
        props.put("mail.smtp.ssl.socketFactory", clientTls.getSocketFactory());
        props.put("mail.smtp.connectiontimeout", "5000");
        props.put("mail.smtp.timeout", "10000");
        return props;
    }

    static MimeMessage message(Session session, String subject) throws Exception {
        MimeMessage message = new MimeMessage(session);
        message.setFrom("sender@example.com");
        message.setRecipients(Message.RecipientType.TO, "rcpt@example.net");
        message.setRecipients(Message.RecipientType.CC, "cc@example.org");
        message.setSubject(subject, "UTF-8");
        message.setText("Hello from Jakarta Mail.\n.leading dot\n", "UTF-8");
        return message;
    }

    /** Records accepted messages; can be told to fail, or to wait at a gate. */
    static final class RecordingHandler implements EnvelopeIntake {
        record Submission(String accountId, String mailFrom, List<String> recipients, byte[] content) {}

        final List<Submission> accepted = new CopyOnWriteArrayList<>();
        final CountDownLatch entered = new CountDownLatch(1);
        volatile Supplier<RuntimeException> failure;
        volatile CountDownLatch gate;

        @Override
        public String accept(String accountId, String mailFrom, List<String> recipients, byte[] content) {
            entered.countDown();
            CountDownLatch g = gate;
            if (g != null) {
                try {
                    g.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            Supplier<RuntimeException> f = failure;
            if (f != null) {
                throw f.get();
            }
            accepted.add(new Submission(accountId, mailFrom, List.copyOf(recipients), content.clone()));
            return "msg-" + accepted.size();
        }
    }
}
