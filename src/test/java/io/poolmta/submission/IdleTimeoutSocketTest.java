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

    @Test
    void smallReadsAreServedFromOneReadAheadAndNothingIsLostOrReordered() throws Exception {
        try (ServerSocket listener = IdleTimeoutSocket.serverSocket()) {
            listener.bind(new InetSocketAddress(LOOPBACK, 0));
            try (Socket client = new Socket(LOOPBACK, listener.getLocalPort());
                    Socket session = listener.accept()) {
                byte[] sent = new byte[100_000];
                for (int i = 0; i < sent.length; i++) {
                    sent[i] = (byte) (i * 31 + i / 7);
                }
                client.getOutputStream().write(sent);
                InputStream in = session.getInputStream();
                // as TLS reads a record: a 5-byte header, then a body, then the next header ...
                byte[] got = new byte[sent.length];
                int at = 0;
                int[] sizes = {5, 16_401, 1, 40_000, 7};
                for (int k = 0; at < 60_000; k++) {
                    at += in.readNBytes(got, at, sizes[k % sizes.length]);
                }
                assertThat(in.available()).isPositive(); // what is buffered and what the socket holds
                long skipped = in.skip(10);
                assertThat(skipped).isEqualTo(10);
                at += 10;
                System.arraycopy(sent, at - 10, got, at - 10, 10);
                at += in.readNBytes(got, at, sent.length - at);
                assertThat(at).isEqualTo(sent.length);
                assertThat(got).isEqualTo(sent);
                // with nothing buffered, skip reaches the socket (TLS discards unread input this way on close)
                client.getOutputStream().write(new byte[3]);
                client.getOutputStream().flush();
                assertThat(in.read()).isZero();
                while (in.available() < 2) {
                    Thread.onSpinWait();
                }
                assertThat(in.skip(2)).isEqualTo(2);
                assertThat(in.available()).isZero();
            }
        }
    }
}
