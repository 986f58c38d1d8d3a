package io.poolmta.delivery.smtp;

import io.poolmta.common.SocketDeadline;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One TCP connection to a receiving server, bound to a local source address: writes command lines
 * and message content, reads complete replies, and can be upgraded to TLS in place.
 * <p>
 * The connect, the TLS handshake and every write have a deadline, and every read one for the whole
 * reply ({@link SocketTimeoutException} when it passes, and the connection is closed). They are
 * kept by a {@link SocketDeadline}, not {@code SO_TIMEOUT}, so that the socket stays in blocking
 * mode: one system call per read. Anything that is not an SMTP reply raises
 * {@link SmtpProtocolException}; a closed connection raises {@link EOFException}. Not thread-safe:
 * one session drives it.
 */
final class SmtpConnection implements Closeable {
    private static final int MAX_LINE = 8192;
    private static final int MAX_LINES = 1000;
    private static final byte[] CRLF = {'\r', '\n'};

    private final Socket plain;
    private final SocketDeadline deadline;
    private final Duration writeTimeout;
    private final String remoteAddress;
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final byte[] buffer = new byte[8192];
    private int position;
    private int limit;
    private WireContent held;

    private SmtpConnection(Socket socket, SocketDeadline deadline, Duration writeTimeout) throws IOException {
        this.plain = socket;
        this.deadline = deadline;
        this.socket = socket;
        this.writeTimeout = writeTimeout;
        this.remoteAddress = socket.getInetAddress().getHostAddress() + ":" + socket.getPort();
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Binds to {@code source} (an ephemeral port) and connects; the socket is closed on failure. */
    static SmtpConnection open(
            InetAddress source, InetSocketAddress target, Duration connectTimeout, Duration writeTimeout)
            throws IOException {
        Socket socket = new Socket();
        SocketDeadline deadline = new SocketDeadline(socket);
        try {
            socket.bind(new InetSocketAddress(source, 0));
            socket.setTcpNoDelay(true);
            // no timeout argument: a timed connect would leave the socket non-blocking
            deadline.run(
                    System.nanoTime() + connectTimeout.toNanos(),
                    false,
                    () -> {
                        socket.connect(target);
                        return null;
                    },
                    () -> new SocketTimeoutException("connect timed out"));
            return new SmtpConnection(socket, deadline, writeTimeout);
        } catch (IOException | RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
    }

    /** "ip:port" of the server. */
    String remoteAddress() {
        return remoteAddress;
    }

    boolean tls() {
        return socket instanceof SSLSocket;
    }

    /**
     * Sends the commands in one write (a PIPELINING group, or a single command), after the held
     * content if there is any: in the same write when the two fit in one chunk ({@link WireWriter}).
     */
    void send(List<String> commands) throws IOException {
        int length = 0;
        List<byte[]> lines = new ArrayList<>(commands.size());
        for (String command : commands) {
            byte[] line = command.getBytes(StandardCharsets.UTF_8);
            lines.add(line);
            length += line.length + 2;
        }
        WireContent content = held;
        held = null;
        if (content != null) {
            WireWriter.write(this::write, content, lines);
            return;
        }
        byte[] group = new byte[length];
        int at = 0;
        for (byte[] line : lines) {
            System.arraycopy(line, 0, group, at, line.length);
            at += line.length;
            System.arraycopy(CRLF, 0, group, at, 2);
            at += 2;
        }
        write(group, 0, group.length);
    }

    void send(String command) throws IOException {
        send(List.of(command));
    }

    /** Sends message content in its wire form; each chunk must be taken within the write timeout. */
    void sendData(WireContent content) throws IOException {
        WireWriter.write(this::write, content, List.of());
    }

    /**
     * Keeps message content to go out with the next {@link #send} (RFC 2920: content may start a
     * pipelined group), or with {@link #flushHeld}.
     */
    void hold(WireContent content) {
        if (held != null) {
            throw new IllegalStateException("content is already held");
        }
        held = content;
    }

    /** Sends the held content, if no write has carried it yet. */
    void flushHeld() throws IOException {
        WireContent content = held;
        held = null;
        if (content != null) {
            sendData(content);
        }
    }

    /** Forgets held content without sending it (the connection is being given up). */
    void discardHeld() {
        held = null;
    }

    /** Reads one complete reply; the whole of it must arrive within {@code timeout}. */
    ServerReply readReply(Duration timeout) throws IOException {
        long replyDeadline = System.nanoTime() + timeout.toNanos();
        List<String> lines = new ArrayList<>();
        while (lines.size() < MAX_LINES) {
            String line = readLine(replyDeadline, timeout);
            if (line.length() < 3
                    || !isCode(line)
                    || (line.length() > 3 && line.charAt(3) != ' ' && line.charAt(3) != '-')) {
                throw new SmtpProtocolException("not an SMTP reply: " + printable(line));
            }
            lines.add(line.length() > 4 ? line.substring(4) : "");
            if (line.length() == 3 || line.charAt(3) == ' ') {
                return new ServerReply(Integer.parseInt(line.substring(0, 3)), lines);
            }
        }
        throw new SmtpProtocolException("reply longer than " + MAX_LINES + " lines");
    }

    /**
     * Layers TLS over the connection after the server's 220 to STARTTLS and completes the
     * handshake. Anything the server sent in clear after its 220 is discarded (RFC 3207 §6).
     */
    void startTls(SSLSocketFactory factory, String peerHost, Duration timeout) throws IOException {
        SSLSocket ssl = (SSLSocket) factory.createSocket(plain, peerHost, plain.getPort(), true);
        ssl.setUseClientMode(true);
        socket = ssl;
        in = ssl.getInputStream();
        out = ssl.getOutputStream();
        position = 0;
        limit = 0;
        deadline.run(
                System.nanoTime() + timeout.toNanos(),
                false,
                () -> {
                    ssl.startHandshake();
                    return null;
                },
                () -> new SocketTimeoutException("TLS handshake timed out"));
    }

    @Override
    public void close() {
        closeQuietly(socket);
        closeQuietly(plain);
    }

    private void write(byte[] bytes, int offset, int length) throws IOException {
        deadline.run(
                System.nanoTime() + writeTimeout.toNanos(),
                false,
                () -> {
                    out.write(bytes, offset, length);
                    out.flush();
                    return null;
                },
                () -> new SocketTimeoutException("write blocked for " + SmtpClientSettings.brief(writeTimeout)));
    }

    private String readLine(long replyDeadline, Duration timeout) throws IOException {
        byte[] line = new byte[128];
        int length = 0;
        while (true) {
            if (position == limit) {
                fill(replyDeadline, timeout);
            }
            byte b = buffer[position++];
            if (b == '\n') {
                if (length > 0 && line[length - 1] == '\r') {
                    length--;
                }
                return new String(line, 0, length, StandardCharsets.UTF_8);
            }
            if (length == MAX_LINE) {
                throw new SmtpProtocolException("reply line longer than " + MAX_LINE + " bytes");
            }
            if (length == line.length) {
                line = Arrays.copyOf(line, Math.min(MAX_LINE, length * 2));
            }
            line[length++] = b;
        }
    }

    private void fill(long replyDeadline, Duration timeout) throws IOException {
        if (replyDeadline - System.nanoTime() <= 0) {
            throw new SocketTimeoutException("no complete reply within " + SmtpClientSettings.brief(timeout));
        }
        int n = deadline.run(
                replyDeadline,
                false,
                () -> in.read(buffer, 0, buffer.length),
                () -> new SocketTimeoutException("no complete reply within " + SmtpClientSettings.brief(timeout)));
        if (n < 0) {
            throw new EOFException("connection closed by the server");
        }
        position = 0;
        limit = n;
    }

    private static boolean isCode(String line) {
        return line.charAt(0) >= '2' && line.charAt(0) <= '5' && isDigit(line.charAt(1)) && isDigit(line.charAt(2));
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static String printable(String line) {
        String cut = line.length() > 80 ? line.substring(0, 80) + "..." : line;
        return "\"" + cut.replaceAll("[^\\x20-\\x7e]", "?") + "\"";
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }
}
