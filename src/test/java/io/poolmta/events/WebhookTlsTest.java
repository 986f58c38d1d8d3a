package io.poolmta.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import io.poolmta.testing.SelfSignedTls;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https webhooks connect to the checked address but speak TLS to the URL's host: the server name
 * (SNI) and the Host header are the URL's host, and the certificate must match that name (not the
 * address connected to). The endpoint's certificate is for {@code localhost}.
 */
class WebhookTlsTest {
    @TempDir
    Path dir;

    HttpsServer endpoint;
    int port;
    final List<String> serverNames = new CopyOnWriteArrayList<>();
    final List<String> hosts = new CopyOnWriteArrayList<>();
    SSLContext trusting;
    WebhookSender sender;

    @BeforeEach
    void setUp() throws Exception {
        endpoint = HttpsServer.create(new InetSocketAddress(InetAddress.ofLiteral("127.0.0.1"), 0), 0);
        endpoint.setHttpsConfigurator(new HttpsConfigurator(SelfSignedTls.serverContext()));
        endpoint.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        endpoint.createContext("/events", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                var session = (ExtendedSSLSession) ((HttpsExchange) exchange).getSSLSession();
                session.getRequestedServerNames().forEach(n -> serverNames.add(((SNIHostName) n).getAsciiName()));
                hosts.add(exchange.getRequestHeaders().getFirst("Host"));
                exchange.sendResponseHeaders(200, -1);
            }
        });
        endpoint.start();
        port = endpoint.getAddress().getPort();
        trusting = trustingTheEndpoint();
    }

    @AfterEach
    void tearDown() {
        if (sender != null) {
            sender.close();
        }
        endpoint.stop(0);
    }

    @Test
    void theUrlsHostIsTheServerNameAndTheCertificatesName() {
        sender = senderFor("https://localhost:" + port + "/events", "localhost");

        sender.enqueue(key(), "{\"eventType\":\"Send\"}");

        await().atMost(Duration.ofSeconds(20)).until(() -> hosts.size() == 1);
        assertThat(serverNames).containsExactly("localhost");
        assertThat(hosts).containsExactly("localhost:" + port);
        await().atMost(Duration.ofSeconds(5)).until(() -> sender.pending() == 0);
    }

    @Test
    void aCertificateForAnotherNameIsNotAccepted() {
        sender = senderFor("https://hooks.tls.test:" + port + "/events", "*.tls.test");

        sender.enqueue(key(), "{\"eventType\":\"Send\"}");

        await().atMost(Duration.ofSeconds(20))
                .until(() -> sender.status().stream()
                        .anyMatch(s -> s.lastError().orElse("").contains("SSL")));
        assertThat(hosts).isEmpty();
        assertThat(sender.pending()).isEqualTo(1);
    }

    private WebhookSender senderFor(String url, String allowed) {
        WebhookTargets.Resolver resolver = host -> List.of(InetAddress.ofLiteral("127.0.0.1"));
        WebhookTargets targets = new WebhookTargets(WebhookAddressPolicy.allowing(List.of(allowed)), resolver);
        return new WebhookSender(
                dir,
                targets,
                k -> Optional.of(url),
                Duration.ofMillis(50),
                Duration.ofMillis(200),
                Duration.ofHours(1),
                Clock.systemUTC(),
                trusting.getSocketFactory(),
                1 << 20);
    }

    private static DestinationKey key() {
        return new DestinationKey("111111111111", "set", "hook");
    }

    /** A client context that trusts the endpoint's self-signed certificate (fetched with one handshake). */
    private SSLContext trustingTheEndpoint() throws Exception {
        X509Certificate[][] seen = new X509Certificate[1][];
        SSLContext peek = SSLContext.getInstance("TLS");
        peek.init(
                null,
                new TrustManager[] {
                    new X509TrustManager() {
                        public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                        public void checkServerTrusted(X509Certificate[] chain, String authType) {
                            seen[0] = chain;
                        }

                        public X509Certificate[] getAcceptedIssuers() {
                            return new X509Certificate[0];
                        }
                    }
                },
                null);
        try (SSLSocket socket = (SSLSocket) peek.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.startHandshake();
        }
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("endpoint", seen[0][0]);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }
}
