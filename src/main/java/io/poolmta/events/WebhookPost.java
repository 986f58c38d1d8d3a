package io.poolmta.events;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;

/**
 * One HTTP/1.1 POST of one event to a checked {@link WebhookTargets.Target}: connects to the
 * target's addresses in order (never resolving the host again), sends the URL's own host in the
 * {@code Host} header and, for https, as the TLS server name (SNI) and the name the certificate
 * must match. Redirects are not followed. Returns the response status; an unreachable endpoint,
 * a timeout or a reply that is not HTTP is an {@link IOException}.
 */
final class WebhookPost {
    private static final int MAX_STATUS_LINE = 8192;

    private final SSLSocketFactory tls;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    WebhookPost(SSLSocketFactory tls, Duration connectTimeout, Duration readTimeout) {
        this.tls = tls;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    int post(WebhookTargets.Target target, byte[] body) throws IOException {
        IOException last = null;
        for (InetAddress address : target.addresses()) {
            Socket socket = new Socket();
            try (socket) {
                try {
                    socket.connect(
                            new InetSocketAddress(address, target.url().port()), (int) connectTimeout.toMillis());
                } catch (IOException e) {
                    last = e;
                    continue; // the next address of the same checked list
                }
                socket.setSoTimeout((int) readTimeout.toMillis());
                Socket stream = target.url().https() ? handshake(socket, target.url()) : socket;
                return exchange(stream, target.url(), body);
            }
        }
        throw last != null ? last : new IOException("no address to connect to");
    }

    private Socket handshake(Socket plain, WebhookUrl url) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.createSocket(plain, url.host(), url.port(), true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (url.literal().isEmpty()) {
            params.setServerNames(List.of(new SNIHostName(url.host())));
        }
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        return ssl;
    }

    private static int exchange(Socket socket, WebhookUrl url, byte[] body) throws IOException {
        String head = "POST " + url.target() + " HTTP/1.1\r\n"
                + "Host: " + url.hostHeader() + "\r\n"
                + "User-Agent: PoolMTA-Events/1\r\n"
                + "Content-Type: application/json\r\n"
                + "Content-Length: " + body.length + "\r\n"
                + "Connection: close\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.US_ASCII));
        out.write(body);
        out.flush();
        String status = statusLine(new BufferedInputStream(socket.getInputStream(), 512));
        // HTTP/1.1 200 OK
        String[] parts = status.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.") || !parts[1].matches("[1-5][0-9][0-9]")) {
            throw new IOException("not an HTTP reply: '" + status + "'");
        }
        return Integer.parseInt(parts[1]);
    }

    private static String statusLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (line.size() < MAX_STATUS_LINE) {
            int b;
            try {
                b = in.read();
            } catch (SocketTimeoutException e) {
                throw new IOException("no reply within the read timeout", e);
            }
            if (b < 0) {
                throw new IOException("connection closed before a reply");
            }
            if (b == '\n') {
                return line.toString(StandardCharsets.ISO_8859_1).strip();
            }
            line.write(b);
        }
        throw new IOException("reply line longer than " + MAX_STATUS_LINE + " bytes");
    }
}
