package io.poolmta.nodelink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolmta.ip.NodeStatus;
import io.poolmta.message.Envelope;
import io.poolmta.message.TlsPolicy;
import io.poolmta.spool.FaultyChannels;
import io.poolmta.spool.FileSpool;
import io.poolmta.spool.SpoolSettings;
import io.poolmta.spool.SpooledMessage;
import io.poolmta.spool.StoredMessage;
import io.poolmta.testing.TestNodes;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node link on its own, over real TLS on loopback: who may connect, and when the receiver
 * says STORED. The receiving end stores into a real {@link FileSpool} whose fsync the test can
 * make fail.
 */
class NodeLinkTest {
    private static final Instant ACCEPTED = Instant.parse("2026-03-01T08:00:00.123456789Z");

    @TempDir
    Path dir;

    final TestNodes directory = new TestNodes();
    final FaultyChannels channels = new FaultyChannels();
    final List<SpooledMessage> received = new CopyOnWriteArrayList<>();
    ClusterKey key;
    FileSpool spool;
    NodeLinkServer server;

    @BeforeEach
    void setUp() throws IOException {
        key = ClusterKey.inDataDirectory(dir.resolve("b"), Clock.systemUTC());
        spool = new FileSpool(dir.resolve("b/spool"), SpoolSettings.defaults(), channels);
        spool.recover();
        server = NodeLinkServer.start(key.context(), "127.0.0.1", 0, (from, message, attempts) -> {
            spool.store(message);
            received.add(message);
        });
        directory.up("b", server.address());
    }

    @AfterEach
    void tearDown() {
        server.close();
        spool.close();
    }

    @Test
    void theMessageArrivesExactlyAsTheSenderSpooledIt() throws IOException {
        SpooledMessage message = message("m-1");

        client(key.context()).handOver("b", message, 3);

        assertThat(received).hasSize(1);
        assertThat(received.getFirst().envelope()).isEqualTo(message.envelope());
        assertThat(received.getFirst().content()).isEqualTo(message.content());
        assertThat(spool.pendingCount()).isEqualTo(1);
    }

    /** Closing a node must not wait for the idle links its peers keep open to time out (two minutes). */
    @Test
    @Timeout(value = 20, unit = TimeUnit.SECONDS)
    void closingTheServerEndsTheIdleConnectionsPeersKeepOpen() throws Exception {
        NodeLinkClient client = client(key.context());
        client.handOver("b", message("m-1"), 0); // the client keeps this connection for the next hand-over
        assertThat(received).hasSize(1);

        Thread closing = Thread.ofPlatform().start(server::close);
        closing.join(Duration.ofSeconds(10));

        assertThat(closing.isAlive())
                .as("close() still waiting on an idle connection")
                .isFalse();
        assertThatThrownBy(() -> client.handOver("b", message("m-2"), 0)).isInstanceOf(IOException.class);
    }

    @Test
    void aNodeWithAnotherClusterKeyIsRefusedInTheHandshake() throws IOException {
        NodeLinkClient stranger = client(ClusterKey.generated(Clock.systemUTC()).context());

        assertThatThrownBy(() -> stranger.handOver("b", message("m-1"), 0)).isInstanceOf(IOException.class);

        assertThat(received).isEmpty();
        assertThat(spool.pendingCount()).isZero();
    }

    @Test
    void aClientWithoutAnyCertificateIsRefused() throws Exception {
        SSLContext noKey = SSLContext.getInstance("TLSv1.3");
        noKey.init(null, new TrustManager[] {trustAll()}, null);
        SSLSocket socket = (SSLSocket) noKey.getSocketFactory().createSocket("127.0.0.1", server.port());
        socket.setSoTimeout(5000);

        assertThatThrownBy(() -> {
                    try (socket) {
                        socket.startHandshake();
                        DataOutputStream out = new DataOutputStream(socket.getOutputStream());
                        out.writeInt(LinkProtocol.MAGIC);
                        out.writeInt(LinkProtocol.VERSION);
                        out.flush();
                        if (socket.getInputStream().read() == -1) {
                            throw new IOException("closed by the server");
                        }
                    }
                })
                .isInstanceOf(IOException.class);
        assertThat(received).isEmpty();
    }

    @Test
    void plainTcpIsNotALink() throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(5000);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(LinkProtocol.MAGIC);
            out.writeInt(LinkProtocol.VERSION);
            out.write("b".getBytes(StandardCharsets.UTF_8));
            out.flush();
            int read;
            try {
                read = socket.getInputStream().read();
            } catch (IOException reset) {
                read = -1;
            }
            assertThat(read)
                    .as("a TLS alert record (21) or a closed connection")
                    .isIn(21, -1);
        }
        assertThat(received).isEmpty();
    }

    @Test
    void noStoredAnswerUntilTheReceiversFsyncSucceeded() throws IOException {
        NodeLinkClient client = client(key.context());
        channels.failForce = true;

        assertThatThrownBy(() -> client.handOver("b", message("m-1"), 0))
                .isInstanceOf(NodeLinkClient.RefusedException.class)
                .hasMessageContaining("did not take the message");
        assertThat(received).isEmpty();

        channels.heal();
        client.handOver("b", message("m-1"), 0); // the sender kept it and tries again: now it is held

        server.close();
        spool.close();
        try (FileSpool reopened = new FileSpool(dir.resolve("b/spool"))) {
            List<StoredMessage> recovered = reopened.recover();
            assertThat(recovered).extracting(StoredMessage::messageId).containsExactly("m-1");
            assertThat(reopened.content(recovered.getFirst()))
                    .isEqualTo(message("m-1").content());
        }
    }

    @Test
    void anAnswerLostAfterTheStoreLeavesTheMessageWithTheSenderToo() throws IOException {
        AtomicReference<NodeLinkServer> crashing = new AtomicReference<>();
        NodeLinkServer dying = NodeLinkServer.start(key.context(), "127.0.0.1", 0, (from, message, attempts) -> {
            spool.store(message);
            received.add(message);
            crashing.get().close(); // the node dies after its fsync, before its answer
        });
        crashing.set(dying);
        directory.up("b", dying.address());

        assertThatThrownBy(() -> client(key.context()).handOver("b", message("m-1"), 0))
                .isInstanceOf(IOException.class);

        assertThat(spool.pendingCount()).isEqualTo(1); // at least once: a duplicate, never a loss
    }

    @Test
    void aNodeWithoutALinkAddressIsNotTried() {
        directory.place("c", "127.0.0.31");

        assertThatThrownBy(() -> client(key.context()).handOver("c", message("m-1"), 0))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("no node link");
        assertThat(directory.view("a").node("c")).map(NodeStatus::linkAddress).contains(Optional.empty());
    }

    private NodeLinkClient client(SSLContext tls) {
        return new NodeLinkClient(tls, "a", directory.view("a"));
    }

    private static SpooledMessage message(String id) {
        Envelope envelope = new Envelope(
                id,
                "acct-1",
                Optional.of("newsletters"),
                "marketing",
                "sender@acme.test",
                List.of("one@example.com", "two@example.com"),
                ACCEPTED,
                ACCEPTED.plusSeconds(50_400),
                TlsPolicy.OPTIONAL,
                Map.of("campaign", List.of("spring")),
                "192.0.2.7",
                "bounces.acme.test");
        return new SpooledMessage(envelope, ("Subject: " + id + "\r\n\r\nbody\r\n").getBytes(StandardCharsets.UTF_8));
    }

    private static X509TrustManager trustAll() {
        return new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
    }
}
