package io.poolmta.submission;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.subethamail.smtp.server.SSLSocketCreator;

/**
 * STARTTLS: layers server-side TLS (1.3 or 1.2 only, the JDK's default cipher suites) over the
 * accepted connection. Bytes the client pipelined after STARTTLS in clear text are dropped with the
 * old streams, never read as commands (the CVE-2011-0411 class of injection).
 */
final class StartTlsSockets implements SSLSocketCreator {
    private static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    private final SSLContext context;

    StartTlsSockets(SSLContext context) {
        this.context = context;
    }

    @Override
    public SSLSocket createSSLSocket(Socket socket) throws IOException {
        InetSocketAddress remote = (InetSocketAddress) socket.getRemoteSocketAddress();
        SSLSocket tls = (SSLSocket)
                context.getSocketFactory().createSocket(socket, remote.getHostString(), remote.getPort(), true);
        tls.setUseClientMode(false);
        tls.setEnabledProtocols(Arrays.stream(tls.getSupportedProtocols())
                .filter(PROTOCOLS::contains)
                .toArray(String[]::new));
        return tls;
    }
}
