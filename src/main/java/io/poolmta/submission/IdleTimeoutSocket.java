package io.poolmta.submission;

import io.poolmta.common.SocketDeadline;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketImpl;
import java.net.SocketTimeoutException;

/**
 * A submission session's socket, whose idle timeout is kept by a {@link SocketDeadline} instead
 * of {@code SO_TIMEOUT}, so that the socket stays in blocking mode (one system call per read; see
 * {@link SocketDeadline} for why). SubEthaSMTP sets the idle timeout through
 * {@link #setSoTimeout}, as it would on any socket; here it arms the deadline for every read and
 * write instead. A read that waits longer fails with {@link SocketTimeoutException} (its input is
 * shut down, so SubEthaSMTP can still reply 421); a write that blocks longer, because the client
 * stopped reading, closes the socket. The streams carry on through STARTTLS, which layers TLS over
 * this socket.
 */
final class IdleTimeoutSocket extends Socket {
    private final SocketDeadline deadline = new SocketDeadline(this);
    private volatile int timeoutMillis;
    private InputStream input;
    private OutputStream output;

    private IdleTimeoutSocket() throws SocketException {
        super((SocketImpl) null); // the accepting ServerSocket gives it its implementation
    }

    /** Binds nothing: SubEthaSMTP binds the server socket it gets from here. */
    static ServerSocket serverSocket() throws IOException {
        return serverSocket(socket -> socket);
    }

    /** Turns an accepted socket into the one the session uses (implicit TLS layers over it). */
    @FunctionalInterface
    interface Layer {
        Socket over(Socket accepted) throws IOException;
    }

    /**
     * As {@link #serverSocket()}, each accepted socket passed through {@code layer} (no I/O there:
     * a TLS handshake happens later, on the session's own thread, under the idle timeout).
     */
    static ServerSocket serverSocket(Layer layer) throws IOException {
        return new ServerSocket() {
            @Override
            public Socket accept() throws IOException {
                Socket socket = new IdleTimeoutSocket();
                implAccept(socket);
                try {
                    return layer.over(socket);
                } catch (IOException | RuntimeException e) {
                    socket.close();
                    throw e;
                }
            }
        };
    }

    /** The idle timeout (0: none); never the JDK's SO_TIMEOUT. */
    @Override
    public void setSoTimeout(int timeout) {
        if (timeout < 0) {
            throw new IllegalArgumentException("timeout < 0");
        }
        timeoutMillis = timeout;
    }

    @Override
    public int getSoTimeout() {
        return timeoutMillis;
    }

    @Override
    public synchronized InputStream getInputStream() throws IOException {
        if (input == null) {
            input = new FilterInputStream(super.getInputStream()) {
                @Override
                public int read() throws IOException {
                    byte[] one = new byte[1];
                    int n = read(one, 0, 1);
                    return n < 0 ? -1 : one[0] & 0xff;
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return withinIdleTimeout(true, () -> {
                        int n = super.read(b, off, len);
                        if (n < 0 && deadline.passed()) {
                            throw idle(); // the watchdog shut the input down
                        }
                        return n;
                    });
                }
            };
        }
        return input;
    }

    @Override
    public synchronized OutputStream getOutputStream() throws IOException {
        if (output == null) {
            output = new FilterOutputStream(super.getOutputStream()) {
                @Override
                public void write(int b) throws IOException {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    withinIdleTimeout(false, () -> {
                        out.write(b, off, len);
                        return null;
                    });
                }
            };
        }
        return output;
    }

    /** Runs a read (whose deadline shuts the input down) or a write (closes the socket) under the idle timeout, if any. */
    private <T> T withinIdleTimeout(boolean reading, SocketDeadline.Blocking<T> operation) throws IOException {
        int timeout = timeoutMillis;
        if (timeout == 0) {
            return operation.run();
        }
        return deadline.run(System.nanoTime() + timeout * 1_000_000L, reading, operation, this::idle);
    }

    private SocketTimeoutException idle() {
        return new SocketTimeoutException("idle for more than " + timeoutMillis + " ms");
    }
}
