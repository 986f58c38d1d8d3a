package io.poolmta.submission;

import io.poolmta.common.SocketDeadline;
import java.io.ByteArrayOutputStream;
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
import java.util.Objects;

/**
 * A submission session's socket, whose idle timeout is kept by a {@link SocketDeadline} instead
 * of {@code SO_TIMEOUT}, so that the socket stays in blocking mode (one system call per read; see
 * {@link SocketDeadline} for why). SubEthaSMTP sets the idle timeout through
 * {@link #setSoTimeout}, as it would on any socket; here it arms the deadline for every read and
 * write instead. A read that waits longer fails with {@link SocketTimeoutException} (its input is
 * shut down, so SubEthaSMTP can still reply 421); a write that blocks longer, because the client
 * stopped reading, closes the socket. The streams carry on through STARTTLS, which layers TLS over
 * this socket.
 * <p>
 * Replies are held until the session reads again (as Postfix flushes only when its input buffer
 * is drained): SubEthaSMTP flushes every reply, and the session's buffered input reads from this
 * socket only once it has handled every command already received, so the replies to a pipelined
 * MAIL, RCPT and DATA leave in one write (under STARTTLS, their TLS records in one write) instead
 * of three; a client that waits for each reply gets it as before, since the session reads next.
 * What is held when the session's own thread closes the socket is sent first.
 */
final class IdleTimeoutSocket extends Socket {
    private final SocketDeadline deadline = new SocketDeadline(this);
    private volatile int timeoutMillis;
    private InputStream input;
    private OutputStream output;
    /** Replies written since the session last read: they go out together before its next read. */
    private final ByteArrayOutputStream held = new ByteArrayOutputStream(512);
    /** The thread that wrote them (the session's). */
    private volatile Thread holder;
    /** Larger writes go out at once, after what is held. */
    private static final int MAX_HELD = 32 * 1024;
    /** The input's read-ahead: two TLS records. */
    private static final int READ_AHEAD = 32 * 1024;

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
            input = new ReadAheadInput(super.getInputStream());
        }
        return input;
    }

    /**
     * The socket's input with a read-ahead buffer: one system call takes what the kernel holds (up
     * to {@link #READ_AHEAD} bytes) and small reads are served from it. Under STARTTLS, TLS reads
     * each record as its 5-byte header and then its body (up to 16 KB), each read a system call
     * of its own without this: about 14 reads a 50 KB message, 3 with it. A read that finds the
     * buffer empty first sends the held replies (the session has handled everything the client
     * sent), then blocks under the idle timeout.
     */
    private final class ReadAheadInput extends FilterInputStream {
        private final byte[] buffer = new byte[READ_AHEAD];
        private int position;
        private int limit;

        ReadAheadInput(InputStream socketInput) {
            super(socketInput);
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            Objects.checkFromIndexSize(off, len, b.length);
            if (len == 0) {
                return 0;
            }
            if (position == limit) {
                if (len >= buffer.length) {
                    return fromSocket(b, off, len); // a large read needs no buffer between
                }
                int n = fromSocket(buffer, 0, buffer.length);
                if (n < 0) {
                    return -1;
                }
                position = 0;
                limit = n;
            }
            int n = Math.min(len, limit - position);
            System.arraycopy(buffer, position, b, off, n);
            position += n;
            return n;
        }

        private int fromSocket(byte[] b, int off, int len) throws IOException {
            sendHeld(); // the session has read everything the client sent: the replies go now
            return withinIdleTimeout(true, () -> {
                int n = in.read(b, off, len);
                if (n < 0 && deadline.passed()) {
                    throw idle(); // the watchdog shut the input down
                }
                return n;
            });
        }

        @Override
        public int available() throws IOException {
            return (limit - position) + in.available();
        }

        @Override
        public long skip(long n) throws IOException {
            if (position == limit) {
                return n <= 0 ? 0 : in.skip(n); // TLS discarding what the socket holds as it closes
            }
            long skipped = Math.min(Math.max(n, 0), limit - position);
            position += (int) skipped;
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        /** Closing a socket's input closes the socket: what is held goes first. */
        @Override
        public void close() throws IOException {
            sendHeldBeforeClosing();
            super.close();
        }
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
                    if (held.size() + len > MAX_HELD) {
                        sendHeld();
                        withinIdleTimeout(false, () -> {
                            out.write(b, off, len);
                            return null;
                        });
                        return;
                    }
                    holder = Thread.currentThread();
                    held.write(b, off, len);
                }

                /** Nothing: what is written waits for the session's next read, or the close. */
                @Override
                public void flush() {}

                @Override
                public void close() throws IOException {
                    sendHeldBeforeClosing();
                    super.close();
                }
            };
        }
        return output;
    }

    /** Writes the held bytes, if any, under the idle timeout. Only the session's thread calls it. */
    private void sendHeld() throws IOException {
        if (held.size() == 0) {
            return;
        }
        OutputStream raw = super.getOutputStream();
        withinIdleTimeout(false, () -> {
            held.writeTo(raw);
            return null;
        });
        held.reset();
    }

    /**
     * The last replies (221 to QUIT, the 421 after an idle timeout, TLS's close_notify) go out
     * before the socket closes, when the session's own thread closes it; not when another thread
     * does (the idle timeout's watchdog closing a blocked write, the server stopping): the held
     * bytes belong to the session's thread. On a socket already closed the write just fails.
     */
    private void sendHeldBeforeClosing() {
        if (holder != Thread.currentThread()) {
            return;
        }
        try {
            sendHeld();
        } catch (IOException | RuntimeException e) {
            // the connection is being closed anyway
        }
    }

    @Override
    public void close() throws IOException {
        sendHeldBeforeClosing();
        super.close();
    }

    /** TLS shuts the output down before it closes: what is held (its close_notify among it) goes first. */
    @Override
    public void shutdownOutput() throws IOException {
        sendHeldBeforeClosing();
        super.shutdownOutput();
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
