package io.poolmta.delivery.smtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A receiver that stops reading cannot hold a delivery connection forever: the write fails as a
 * timeout soon after the write timeout (checked by the shared watchdog), and a write that finishes
 * in time is never cut.
 */
class SmtpConnectionWriteTimeoutTest {
    private static final Duration WRITE_TIMEOUT = Duration.ofMillis(300);
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private static SmtpConnection connectTo(ServerSocket server) throws java.io.IOException {
        return SmtpConnection.open(
                LOOPBACK, new InetSocketAddress(LOOPBACK, server.getLocalPort()), Duration.ofSeconds(2), WRITE_TIMEOUT);
    }

    @Test
    void aWriteThePeerNeverTakesFailsAsATimeout() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            SmtpConnection connection = connectTo(server);
            try (Socket accepted = server.accept()) { // accepted, never read
                long start = System.nanoTime();
                // far more than the socket buffers on both sides hold
                assertThatThrownBy(() -> connection.sendData(WireContent.encode(new byte[64 * 1024 * 1024])))
                        .isInstanceOf(SocketTimeoutException.class)
                        .hasMessageContaining("write blocked for");
                Duration took = Duration.ofNanos(System.nanoTime() - start);
                assertThat(took).isGreaterThanOrEqualTo(WRITE_TIMEOUT).isLessThan(Duration.ofSeconds(10));
            } finally {
                connection.close();
            }
        }
    }

    @Test
    void writesThatFinishInTimeAreNeverCut() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, LOOPBACK)) {
            SmtpConnection connection = connectTo(server);
            try (Socket accepted = server.accept()) {
                Thread reader = Thread.ofVirtual().start(() -> {
                    try {
                        accepted.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
                    } catch (java.io.IOException e) {
                        // closed at the end
                    }
                });
                // many small writes spread over more than the write timeout, each done at once
                long end = System.nanoTime() + WRITE_TIMEOUT.multipliedBy(3).toNanos();
                int writes = 0;
                while (System.nanoTime() < end) {
                    connection.send("NOOP");
                    writes++;
                    Thread.sleep(5);
                }
                assertThat(writes).isGreaterThan(10);
                connection.close();
                reader.join(2000);
            } finally {
                connection.close();
            }
        }
    }
}
