package io.poolmta.sim;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A receiving mail server on loopback that accepts every message (recipients whose local part
 * starts with "unknown" are refused with 550 5.1.1, like a provider's unknown user) and counts
 * accepted messages per source address and per EHLO name. One virtual thread per connection;
 * speaks plain SMTP with PIPELINING.
 */
public final class SimulatedMailbox implements AutoCloseable {
    private final String name;
    private final ServerSocket server;
    private final Map<String, AtomicLong> bySource = new ConcurrentHashMap<>();
    private final Map<String, String> ehloBySource = new ConcurrentHashMap<>();
    private final AtomicLong accepted = new AtomicLong();
    private volatile boolean closed;

    public SimulatedMailbox(String name, String host, int port) throws IOException {
        this.name = name;
        this.server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getByName(host), port), 200);
        Thread.ofVirtual().name("sim-" + name).start(this::acceptLoop);
    }

    public String name() {
        return name;
    }

    public int port() {
        return server.getLocalPort();
    }

    public String hostPort() {
        return server.getInetAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    /** Accepted messages per source address, sorted by address. */
    public Map<String, Long> acceptedBySource() {
        Map<String, Long> out = new TreeMap<>();
        bySource.forEach((k, v) -> out.put(k, v.get()));
        return out;
    }

    public String ehloOf(String source) {
        return ehloBySource.get(source);
    }

    public long accepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> session(socket));
            } catch (IOException e) {
                if (!closed) {
                    continue;
                }
                return;
            }
        }
    }

    private void session(Socket socket) {
        String source = socket.getInetAddress().getHostAddress();
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream());
                OutputStream out = new java.io.BufferedOutputStream(socket.getOutputStream())) {
            socket.setSoTimeout(60_000);
            socket.setTcpNoDelay(true);
            reply(out, "220 " + name + " ESMTP PoolMTA simulator");
            int recipients = 0;
            String line;
            while ((line = nextCommand(in, out)) != null) {
                String upper = line.toUpperCase(java.util.Locale.ROOT);
                if (upper.startsWith("EHLO") || upper.startsWith("HELO")) {
                    ehloBySource.put(source, line.length() > 5 ? line.substring(5).trim() : "");
                    reply(out, upper.startsWith("EHLO") ? "250-" + name + "\r\n250-PIPELINING\r\n250 8BITMIME" : "250 " + name);
                } else if (upper.startsWith("MAIL FROM:")) {
                    recipients = 0;
                    reply(out, "250 2.1.0 Ok");
                } else if (upper.startsWith("RCPT TO:")) {
                    if (upper.startsWith("RCPT TO:<UNKNOWN")) {
                        reply(out, "550 5.1.1 No such user here");
                    } else {
                        recipients++;
                        reply(out, "250 2.1.5 Ok");
                    }
                } else if (upper.equals("DATA")) {
                    if (recipients == 0) {
                        reply(out, "554 5.5.1 No valid recipients");
                        continue;
                    }
                    reply(out, "354 End data with <CR><LF>.<CR><LF>");
                    out.flush();
                    readData(in);
                    accepted.incrementAndGet();
                    bySource.computeIfAbsent(source, s -> new AtomicLong()).incrementAndGet();
                    reply(out, "250 2.0.0 Ok: queued by " + name);
                } else if (upper.equals("RSET") || upper.equals("NOOP")) {
                    reply(out, "250 2.0.0 Ok");
                } else if (upper.equals("QUIT")) {
                    reply(out, "221 2.0.0 Bye");
                    out.flush();
                    return;
                } else {
                    reply(out, "502 5.5.2 Command not recognized");
                }
            }
        } catch (IOException e) {
            // client went away
        }
    }

    /** Flushes pending replies unless more pipelined commands are already waiting, then reads one. */
    private static String nextCommand(InputStream in, OutputStream out) throws IOException {
        if (in.available() == 0) {
            out.flush();
        }
        return readLine(in);
    }

    private static void readData(InputStream in) throws IOException {
        String line;
        while ((line = readLine(in)) != null && !line.equals(".")) {
            // discard; only counts matter here
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = buf.toByteArray();
                int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
            }
            buf.write(b);
        }
        return null;
    }

    /** Writes a reply; with pipelined commands still waiting, replies are sent together (RFC 2920). */
    private static void reply(OutputStream out, String text) throws IOException {
        out.write((text + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // closing anyway
        }
    }
}
