package io.poolmta.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hundreds of connections opened at once each get an answer within a couple of seconds: the
 * greeting, or 421 4.7.0 beyond the per-address or the global limit. Raw sockets over loopback
 * (127.0.0.1 and 127.0.0.2 as two clients); the handler is never reached.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectionBurstTest {
    private static final Duration ANSWER_WITHIN = Duration.ofSeconds(3);

    @TempDir
    static Path dir;

    static SSLContext tls;
    final List<SubmissionServer> servers = new ArrayList<>();
    final List<Socket> sockets = new ArrayList<>();

    @BeforeAll
    static void certificate() throws IOException {
        tls = TlsCertificates.serverContext(Optional.empty(), null, dir, "localhost", Clock.systemUTC());
    }

    @AfterEach
    void close() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
        servers.forEach(SubmissionServer::close);
    }

    SubmissionServer start(SubmissionSettings settings) throws IOException {
        SubmissionServer server = SubmissionServer.start(
                settings.withAddress("127.0.0.1", 0),
                tls,
                (user, password) -> Optional.empty(),
                (account, from, to, content) -> "never",
                Clock.systemUTC());
        servers.add(server);
        return server;
    }

    @Test
    void threeHundredConnectionsFromOneAddressAreAllAnsweredAtOnce() throws Exception {
        SubmissionServer server = start(SubmissionSettings.defaults());
        List<String> answers = burst(server.port(), "127.0.0.1", 300);

        assertThat(answers).allSatisfy(a -> assertThat(a).matches("(220 localhost ESMTP PoolMTA|421 4\\.7\\.0 .*)"));
        assertThat(answers.stream().filter(a -> a.startsWith("220")).count())
                .as("greeted: the per-address limit")
                .isEqualTo(SubmissionSettings.DEFAULT_MAX_CONNECTIONS_PER_ADDRESS);
        assertThat(answers)
                .filteredOn(a -> a.startsWith("421"))
                .allSatisfy(a -> assertThat(a).isEqualTo("421 " + ConnectionLimits.TOO_MANY_FROM_ADDRESS));
        assertThat(burst(server.port(), "127.0.0.2", 1))
                .as("another address")
                .containsExactly("220 localhost ESMTP PoolMTA");

        for (Socket socket : sockets) {
            socket.close();
        }
        sockets.clear();
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(burst(server.port(), "127.0.0.1", 1))
                        .as("slots given back")
                        .containsExactly("220 localhost ESMTP PoolMTA"));
    }

    @Test
    void beyondTheGlobalLimitEveryoneGets421() throws Exception {
        SubmissionServer server = start(SubmissionSettings.defaults().withMaxConnections(40));
        List<String> answers = new ArrayList<>(burst(server.port(), "127.0.0.1", 30));
        answers.addAll(burst(server.port(), "127.0.0.2", 30));

        assertThat(answers.stream().filter(a -> a.startsWith("220")).count()).isEqualTo(40);
        assertThat(answers)
                .filteredOn(a -> !a.startsWith("220"))
                .hasSize(20)
                .allSatisfy(a -> assertThat(a).isEqualTo("421 " + ConnectionLimits.TOO_MANY));
    }

    /**
     * Opens {@code count} connections from {@code source} at the same moment and returns each one's
     * first reply line; each must come within {@link #ANSWER_WITHIN} of the start. Greeted sockets
     * stay open (in {@link #sockets}).
     */
    List<String> burst(int port, String source, int count) throws Exception {
        CountDownLatch go = new CountDownLatch(1);
        List<Future<String>> firstLines = new ArrayList<>();
        long start;
        try (ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < count; i++) {
                firstLines.add(clients.submit(() -> {
                    Socket socket = new Socket();
                    synchronized (sockets) {
                        sockets.add(socket);
                    }
                    socket.bind(new InetSocketAddress(InetAddress.getByName(source), 0));
                    go.await();
                    socket.connect(new InetSocketAddress("127.0.0.1", port), (int) ANSWER_WITHIN.toMillis());
                    socket.setSoTimeout((int) ANSWER_WITHIN.toMillis());
                    return firstLine(socket.getInputStream());
                }));
            }
            start = System.nanoTime();
            go.countDown();
            List<String> answers = new ArrayList<>();
            for (Future<String> line : firstLines) {
                answers.add(line.get(30, TimeUnit.SECONDS));
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .as("%d connections answered", count)
                    .isLessThan(ANSWER_WITHIN);
            return answers;
        }
    }

    private static String firstLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != -1 && b != '\n'; ) {
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }
}
