package io.poolmta.submission;

import io.poolmta.sending.EnvelopeIntake;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.server.SMTPServer;

/**
 * The SMTP submission server (SubEthaSMTP underneath, one virtual thread per session). Clients
 * must AUTH (PLAIN or LOGIN, checked by the {@link SmtpAuthenticator}) before MAIL, so the server
 * is never an open relay; STARTTLS is always offered. A message is acknowledged with 250 only after
 * the {@link EnvelopeIntake} has durably accepted it. {@link #start} returns once the port is
 * bound; {@link #close()} stops listening, closes open sessions and is safe to call twice.
 *
 * <p>The pieces, one concern each: {@link SubmissionCommands} (the command table and its
 * wrappers), {@link PlainLoginAuthentication} and {@link AuthThrottle} (AUTH),
 * {@link SubmissionTransaction} and {@link SubmissionReplies} (messages), {@link StartTlsSockets}
 * and {@link TlsCertificates} (TLS).
 */
public final class SubmissionServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SubmissionServer.class);

    private final SMTPServer smtp;
    private final InetSocketAddress address;
    private final AuthThrottle throttle;
    private boolean closed;

    private SubmissionServer(SMTPServer smtp, InetSocketAddress address, AuthThrottle throttle) {
        this.smtp = smtp;
        this.address = address;
        this.throttle = throttle;
    }

    /**
     * Binds and starts serving.
     *
     * @param tls the server's TLS identity for STARTTLS (see {@link TlsCertificates})
     * @param clock time for the AUTH brute-force lockout (the failure delays are real sleeps)
     * @throws IOException when the address cannot be bound
     */
    public static SubmissionServer start(SubmissionSettings settings, SSLContext tls, SmtpAuthenticator authenticator,
            EnvelopeIntake intake, Clock clock) throws IOException {
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(authenticator, "authenticator");
        Objects.requireNonNull(intake, "intake");
        InetAddress bind = InetAddress.getByName(settings.host());
        AuthThrottle throttle = new AuthThrottle(clock, settings.authFailureDelay());
        // one platform thread per session (at most maxConnections): a session blocks on its socket
        // between every command, and a platform thread's blocking read costs less CPU than a
        // virtual thread's park, poller registration and unpark (2 KB end-to-end benchmark,
        // 2026-11-27: 0.20 against 0.25 ms of server CPU per message, with the delivery workers);
        // the socket stays blocking because IdleTimeoutSocket keeps the idle timeout, not SO_TIMEOUT
        ExecutorService sessions = Executors.newThreadPerTaskExecutor(
                Thread.ofPlatform().name("smtp-session-", 0).daemon().factory());
        SMTPServer smtp = SMTPServer.port(settings.port())
                .bindAddress(bind)
                .hostName(settings.hostName())
                .softwareName("PoolMTA")
                .messageHandlerFactory(context -> new SubmissionTransaction(context, intake, settings))
                .authenticationHandlerFactory(new PlainLoginAuthentication(authenticator, throttle))
                .enableTLS(true)
                .startTlsSocketFactory(new StartTlsSockets(tls))
                .insertReceivedHeaders(false)
                .maxMessageSize(settings.maxMessageBytes())
                .maxRecipients(-1) // SubmissionTransaction enforces maxRecipients with 452 4.5.3
                .maxConnections(settings.maxConnections())
                .connectionTimeoutMs((int) settings.idleTimeout().toMillis()) // kept by IdleTimeoutSocket
                .serverSocketFactory(IdleTimeoutSocket::serverSocket)
                .executorService(sessions)
                .serverThreadName("smtp-submission-" + settings.host() + ":" + settings.port())
                .build();
        SubmissionCommands.install(smtp.getCommandHandler(), settings, throttle);
        try {
            smtp.start();
        } catch (RuntimeException e) {
            sessions.shutdownNow();
            throw new IOException("cannot listen for SMTP on " + settings.host() + ":" + settings.port()
                    + ": " + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()), e);
        }
        InetSocketAddress bound = new InetSocketAddress(bind, smtp.getPortAllocated());
        if (!settings.requireTlsForAuth() && !bind.isLoopbackAddress()) {
            LOG.warn("SMTP submission on {} accepts AUTH without TLS on a non-loopback address;"
                    + " set requireTlsForAuth", bound);
        }
        LOG.info("SMTP submission listening on {}:{}", bind.getHostAddress(), bound.getPort());
        return new SubmissionServer(smtp, bound, throttle);
    }

    /** The bound port (the real one when the settings asked for port 0). */
    public int port() {
        return address.getPort();
    }

    public InetSocketAddress address() {
        return address;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        throttle.close(); // sessions waiting out a failed AUTH's delay answer now, so stop() need not wait for them
        smtp.stop();
    }
}
