package io.poolmta.submission;

import io.poolmta.sending.EnvelopeIntake;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The SMTP submission server (SubEthaSMTP underneath, one platform thread per session). Clients
 * must AUTH (PLAIN or LOGIN, checked by the {@link SmtpAuthenticator}) before MAIL, so the server
 * is never an open relay; AUTH is offered only once TLS is on (STARTTLS, always offered, or the
 * optional implicit-TLS listener) unless {@code allowCleartextAuth}. A message is acknowledged with
 * 250 only after the {@link EnvelopeIntake} has durably accepted it. Every connection gets its
 * greeting or, beyond {@code maxConnections} or {@code maxConnectionsPerAddress}
 * ({@link ConnectionLimits}), 421 4.7.0 at once; the listen backlog ({@value #BACKLOG}) holds a
 * burst until it is accepted. {@link #start} returns once the ports are bound; {@link #close()}
 * stops listening, closes open sessions and is safe to call twice.
 *
 * <p>The pieces, one concern each: {@link SubmissionCommands} (the command table and its
 * wrappers), {@link PlainLoginAuthentication} and {@link AuthThrottle} (AUTH),
 * {@link SubmissionTransaction} and {@link SubmissionReplies} (messages), {@link StartTlsSockets}
 * and {@link TlsCertificates} (TLS), {@link ConnectionLimits} (who gets a session).
 */
public final class SubmissionServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SubmissionServer.class);
    /** Pending connections the kernel holds for the accepting thread (capped by net.core.somaxconn). */
    static final int BACKLOG = 4096;

    private final List<SMTPServer> listeners;
    private final InetSocketAddress address;
    private final Optional<InetSocketAddress> smtpsAddress;
    private final AuthThrottle throttle;
    private boolean closed;

    private SubmissionServer(
            List<SMTPServer> listeners,
            InetSocketAddress address,
            Optional<InetSocketAddress> smtpsAddress,
            AuthThrottle throttle) {
        this.listeners = listeners;
        this.address = address;
        this.smtpsAddress = smtpsAddress;
        this.throttle = throttle;
    }

    /**
     * Binds and starts serving.
     *
     * @param tls the server's TLS identity for STARTTLS and SMTPS (see {@link TlsCertificates})
     * @param clock time for the AUTH brute-force lockout (the failure delays are real sleeps)
     * @throws IOException when an address cannot be bound
     */
    public static SubmissionServer start(
            SubmissionSettings settings,
            SSLContext tls,
            SmtpAuthenticator authenticator,
            EnvelopeIntake intake,
            Clock clock)
            throws IOException {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(intake, "intake");
        AuthThrottle throttle = new AuthThrottle(clock, settings.authFailureDelay());
        ConnectionLimits limits = new ConnectionLimits(settings.maxConnections(), settings.maxConnectionsPerAddress());
        StartTlsSockets startTls = new StartTlsSockets(tls);
        List<SMTPServer> listeners = new ArrayList<>();
        try {
            SMTPServer plain = listen(
                    settings,
                    settings.host(),
                    settings.port(),
                    IdleTimeoutSocket::serverSocket,
                    startTls,
                    authenticator,
                    intake,
                    throttle,
                    limits);
            listeners.add(plain);
            InetSocketAddress bound =
                    new InetSocketAddress(plain.getBindAddress().orElseThrow(), plain.getPortAllocated());
            Optional<InetSocketAddress> smtps = Optional.empty();
            if (settings.smtps().isPresent()) {
                InetSocketAddress wanted = settings.smtps().get();
                SMTPServer implicit = listen(
                        settings,
                        wanted.getHostString(),
                        wanted.getPort(),
                        () -> IdleTimeoutSocket.serverSocket(startTls::createSSLSocket),
                        startTls,
                        authenticator,
                        intake,
                        throttle,
                        limits);
                listeners.add(implicit);
                smtps = Optional.of(
                        new InetSocketAddress(implicit.getBindAddress().orElseThrow(), implicit.getPortAllocated()));
                LOG.info(
                        "SMTP submission with implicit TLS (SMTPS) listening on {}:{}",
                        smtps.get().getAddress().getHostAddress(),
                        smtps.get().getPort());
            }
            if (settings.allowCleartextAuth() && !bound.getAddress().isLoopbackAddress()) {
                LOG.warn(
                        "SMTP submission on {} accepts AUTH without TLS on a non-loopback address;"
                                + " turn smtpAllowCleartextAuth off",
                        bound);
            }
            LOG.info("SMTP submission listening on {}:{}", bound.getAddress().getHostAddress(), bound.getPort());
            return new SubmissionServer(List.copyOf(listeners), bound, smtps, throttle);
        } catch (IOException | RuntimeException e) {
            throttle.close();
            listeners.forEach(SMTPServer::stop);
            throw e;
        }
    }

    @FunctionalInterface
    private interface ServerSockets {
        ServerSocket create() throws IOException;
    }

    private static SMTPServer listen(
            SubmissionSettings settings,
            String host,
            int port,
            ServerSockets sockets,
            StartTlsSockets startTls,
            SmtpAuthenticator authenticator,
            EnvelopeIntake intake,
            AuthThrottle throttle,
            ConnectionLimits limits)
            throws IOException {
        InetAddress bind = InetAddress.getByName(host);
        // one platform thread per session (at most maxConnections): a session blocks on its socket
        // between every command, and a platform thread's blocking read costs less CPU than a
        // virtual thread's park, poller registration and unpark (2 KB end-to-end benchmark,
        // 2026-11-27: 0.20 against 0.25 ms of server CPU per message, with the delivery workers);
        // the socket stays blocking because IdleTimeoutSocket keeps the idle timeout, not SO_TIMEOUT
        ExecutorService sessions = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().name("smtp-session-", 0).daemon().factory());
        SMTPServer smtp = SMTPServer.port(port)
                .bindAddress(bind)
                .backlog(BACKLOG)
                .hostName(settings.hostName())
                .softwareName("PoolMTA")
                .messageHandlerFactory(context -> new SubmissionTransaction(context, intake, settings))
                .authenticationHandlerFactory(new PlainLoginAuthentication(authenticator, throttle))
                .enableTLS(true)
                .startTlsSocketFactory(startTls)
                .insertReceivedHeaders(false)
                .maxMessageSize(settings.maxMessageBytes())
                .maxRecipients(-1) // SubmissionTransaction enforces maxRecipients with 452 4.5.3
                // ConnectionLimits answers 421 4.7.0 beyond the limits; SubEthaSMTP's own bound (where
                // its accepting thread stops accepting) only has to leave room for those short answers
                .maxConnections(Math.max(2 * settings.maxConnections(), settings.maxConnections() + 512))
                .sessionHandler(limits)
                .connectionTimeoutMs((int) settings.idleTimeout().toMillis()) // kept by IdleTimeoutSocket
                .serverSocketFactory(sockets::create)
                .executorService(sessions)
                .serverThreadName("smtp-submission-" + host + ":" + port)
                .build();
        SubmissionCommands.install(smtp.getCommandHandler(), settings, throttle);
        try {
            smtp.start();
        } catch (RuntimeException e) {
            sessions.shutdownNow();
            throw new IOException(
                    "cannot listen for SMTP on " + host + ":" + port + ": "
                            + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()),
                    e);
        }
        return smtp;
    }

    /** The bound port (the real one when the settings asked for port 0). */
    public int port() {
        return address.getPort();
    }

    public InetSocketAddress address() {
        return address;
    }

    /** The implicit-TLS (SMTPS) listener's address, when there is one. */
    public Optional<InetSocketAddress> smtpsAddress() {
        return smtpsAddress;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        throttle.close(); // sessions waiting out a failed AUTH's delay answer now, so stop() need not wait for them
        listeners.forEach(SMTPServer::stop);
    }
}
