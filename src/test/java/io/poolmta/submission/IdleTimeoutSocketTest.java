package io.poolmta.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** A session's replies are held until it reads again, or closes, so pipelined replies leave together. */
class IdleTimeoutSocketTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    @Test
    void repliesWaitForTheSessionsNextReadAndThenLeaveTogether() throws Exception {
        try (ServerSocket listener = IdleTimeoutSocket.serverSocket()) {
            listener.bind(new InetSocketAddress(LOOPBACK, 0));
            try (Socket client = new Socket(LOOPBACK, listener.getLocalPort());
                    Socket session = listener.accept()) {
                client.setSoTimeout(300);
                OutputStream replies = session.getOutputStream();
                replies.write("250 2.1.0 Ok\r\n".getBytes(StandardCharsets.US_ASCII));
                replies.flush();
                replies.write("250 2.1.5 Ok\r\n".getBytes(StandardCharsets.US_ASCII));
                replies.flush();
                InputStream fromSession = client.getInputStream();
                assertThatThrownBy(fromSession::read).isInstanceOf(SocketTimeoutException.class); // held

                CompletableFuture<Integer> sessionRead = CompletableFuture.supplyAsync(() -> {
                    try {
                        return session.getInputStream().read();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
                client.setSoTimeout(5000);
                byte[] both = fromSession.readNBytes(28);
                assertThat(new String(both, StandardCharsets.US_ASCII)).isEqualTo("250 2.1.0 Ok\r\n250 2.1.5 Ok\r\n");
                client.getOutputStream().write('Q');
                assertThat(sessionRead.get()).isEqualTo((int) 'Q');
            }
        }
    }

    @Test
    void whatIsHeldIsSentBeforeTheSessionCloses() throws Exception {
        try (ServerSocket listener = IdleTimeoutSocket.serverSocket()) {
            listener.bind(new InetSocketAddress(LOOPBACK, 0));
            try (Socket client = new Socket(LOOPBACK, listener.getLocalPort())) {
                client.setSoTimeout(5000);
                Socket session = listener.accept();
                session.getOutputStream().write("221 2.0.0 Bye\r\n".getBytes(StandardCharsets.US_ASCII));
                session.getOutputStream().flush();
                session.close();
                assertThat(new String(client.getInputStream().readAllBytes(), StandardCharsets.US_ASCII))
                        .isEqualTo("221 2.0.0 Bye\r\n");
            }
        }
    }
}
