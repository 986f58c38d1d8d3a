package io.poolmta.submission;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A raw SMTP client for transcript tests: writes exactly the bytes it is given and returns each
 * reply whole (all lines of a multi-line reply, joined by '\n'). Unbuffered reads, so nothing is
 * lost across STARTTLS.
 */
final class SmtpTestClient implements AutoCloseable {
    private Socket socket;
    private InputStream in;
    private OutputStream out;
    private final String greeting;

    private SmtpTestClient(Socket socket) throws IOException {
        use(socket);
        this.greeting = reply();
    }

    static SmtpTestClient connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        return new SmtpTestClient(socket);
    }

    private void use(Socket s) throws IOException {
        this.socket = s;
        this.in = s.getInputStream();
        this.out = s.getOutputStream();
    }

    String greeting() {
        return greeting;
    }

    /** Sends one command line and returns the reply. */
    String send(String line) throws IOException {
        write(line + "\r\n");
        return reply();
    }

    void write(String text) throws IOException {
        write(text.getBytes(StandardCharsets.UTF_8));
    }

    void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Reads one reply: lines up to the one whose code is followed by a space. */
    String reply() throws IOException {
        List<String> lines = new ArrayList<>();
        while (true) {
            String line = line();
            if (line == null) {
                throw new IOException("connection closed; got " + lines);
            }
            lines.add(line);
            if (line.length() < 4 || line.charAt(3) != '-') {
                return String.join("\n", lines);
            }
        }
    }

    /** The next reply, or null when none arrives within {@code millis}. */
    String replyWithin(int millis) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            return reply();
        } catch (SocketTimeoutException none) {
            return null;
        } finally {
            socket.setSoTimeout(before);
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        for (int b; (b = in.read()) != -1; ) {
            if (b == '\n') {
                byte[] bytes = buffer.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.UTF_8);
            }
            buffer.write(b);
        }
        return null;
    }

    /** EHLO, then AUTH PLAIN with an initial response; returns the AUTH reply. */
    String login(String username, String password) throws IOException {
        hello();
        return send("AUTH PLAIN " + plain(username, password));
    }

    /**
     * EHLO, and when the server offers AUTH only after STARTTLS (its default), STARTTLS (trusting
     * any certificate: loopback tests only) and EHLO again. Returns the last EHLO reply.
     */
    String hello() throws IOException {
        String ehlo = send("EHLO client.example.test");
        if (ehlo.contains("STARTTLS") && !ehlo.contains("AUTH")) {
            startTls(TRUST_ANY);
            ehlo = send("EHLO client.example.test");
        }
        return ehlo;
    }

    /** A client context that accepts any server certificate, for tests against a self-signed one. */
    static final SSLContext TRUST_ANY = trustAny();

    private static SSLContext trustAny() {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(
                    null,
                    new TrustManager[] {
                        new X509TrustManager() {
                            @Override
                            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                            @Override
                            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                            @Override
                            public X509Certificate[] getAcceptedIssuers() {
                                return new X509Certificate[0];
                            }
                        }
                    },
                    null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    static String plain(String username, String password) {
        return base64("\0" + username + "\0" + password);
    }

    static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    /** STARTTLS and the TLS handshake, checking the server's certificate for 127.0.0.1. */
    void startTls(SSLContext client) throws IOException {
        startTlsAfter(send("STARTTLS"), client);
    }

    /** The TLS handshake, after the server's reply to a STARTTLS already sent. */
    void startTlsAfter(String reply, SSLContext client) throws IOException {
        if (!reply.startsWith("220")) {
            throw new IOException("STARTTLS refused: " + reply);
        }
        SSLSocket tls = (SSLSocket) client.getSocketFactory().createSocket(socket, "127.0.0.1", socket.getPort(), true);
        if (client != TRUST_ANY) {
            SSLParameters parameters = tls.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
            tls.setSSLParameters(parameters);
        }
        tls.setUseClientMode(true);
        tls.startHandshake();
        use(tls);
    }

    boolean isTls() {
        return socket instanceof SSLSocket;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
