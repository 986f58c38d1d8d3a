package io.poolmta.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolmta.testing.MutableClock;
import io.poolmta.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SMTP submission keys of the config file, and a server started with them. */
class SubmissionConfigTest {
    @TempDir
    Path dir;

    @Test
    void theSubmissionKeysAreRead() throws Exception {
        Path file = dir.resolve("poolmta.json");
        Files.writeString(file, """
                {"smtpAllowCleartextAuth": true, "tlsCertificate": "/etc/poolmta/chain.pem",
                 "tlsPrivateKey": "/etc/poolmta/key.pem", "smtps": "127.0.0.1:2465",
                 "smtpMaxConnectionsPerAddress": 20}
                """);
        SubmissionOptions options = ServerConfig.fromFile(file).submission();
        assertThat(options)
                .isEqualTo(new SubmissionOptions(
                        true,
                        Optional.of(Path.of("/etc/poolmta/chain.pem")),
                        Optional.of(Path.of("/etc/poolmta/key.pem")),
                        Optional.of(new HostPort("127.0.0.1", 2465)),
                        20));
        assertThat(ServerConfig.defaults().submission()).isEqualTo(SubmissionOptions.defaults());
        assertThat(SubmissionOptions.defaults().allowCleartextAuth()).isFalse();

        Files.writeString(file, "{\"tlsCertificate\": \"/etc/poolmta/chain.pem\"}");
        assertThatThrownBy(() -> ServerConfig.fromFile(file)).hasMessageContaining("go together");
        Files.writeString(file, "{\"smtpAllowCleartextAuth\": \"yes\"}");
        assertThatThrownBy(() -> ServerConfig.fromFile(file)).hasMessageContaining("true or false");
        Files.writeString(file, "{\"smtpMaxConnectionsPerAddress\": 0}");
        assertThatThrownBy(() -> ServerConfig.fromFile(file)).hasMessageContaining("1 or more");
    }

    /** A server with an SMTPS listener greets over TLS there, with AUTH; the plain port hides AUTH until STARTTLS. */
    @Test
    void aServerWithSmtpsGreetsOverTls() throws Exception {
        try (TestServer server = TestServer.startConfigured(
                dir.resolve("data"),
                MutableClock.startingNow(),
                config -> config.withSubmission(config.submission().withSmtps(new HostPort("127.0.0.1", 0))))) {
            String smtps = server.server().smtpsAddress().orElseThrow();
            int port = Integer.parseInt(smtps.substring(smtps.lastIndexOf(':') + 1));
            try (SSLSocket socket =
                    (SSLSocket) trusting(server.dataDir()).getSocketFactory().createSocket("127.0.0.1", port)) {
                socket.setSoTimeout(10_000);
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
                assertThat(in.readLine()).startsWith("220 ");
                socket.getOutputStream().write("EHLO c.example.test\r\n".getBytes(StandardCharsets.US_ASCII));
                StringBuilder ehlo = new StringBuilder();
                for (String line = in.readLine(); ; line = in.readLine()) {
                    ehlo.append(line).append('\n');
                    if (line.startsWith("250 ")) {
                        break;
                    }
                }
                assertThat(ehlo.toString()).contains("AUTH PLAIN LOGIN").doesNotContain("STARTTLS");
            }
            try (Socket plain = new Socket("127.0.0.1", server.smtpPort())) {
                plain.setSoTimeout(10_000);
                BufferedReader in =
                        new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.US_ASCII));
                assertThat(in.readLine()).startsWith("220 ");
                plain.getOutputStream()
                        .write("EHLO c.example.test\r\nAUTH PLAIN AGEAYg==\r\n".getBytes(StandardCharsets.US_ASCII));
                String line;
                while (!(line = in.readLine()).startsWith("250 ")) {
                    assertThat(line).doesNotContain("AUTH");
                }
                assertThat(in.readLine()).isEqualTo("530 5.7.0 Must issue a STARTTLS command first");
            }
        }
    }

    /** Trusts the self-signed certificate the server generated in its data directory. */
    private static SSLContext trusting(Path dataDir) throws Exception {
        KeyStore generated = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(dataDir.resolve("tls/submission.p12"))) {
            generated.load(in, "poolmta".toCharArray());
        }
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry(
                "poolmta", generated.getCertificate(generated.aliases().nextElement()));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
