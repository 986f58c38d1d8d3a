package io.poolmta.submission;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How the SMTP submission server runs. Every field has a named default beside it.
 *
 * @param host address to listen on (default loopback only)
 * @param port TCP port; 0 picks a free one ({@link SubmissionServer#port()} tells which)
 * @param hostName the name in the greeting and the EHLO reply
 * @param maxMessageBytes the SIZE advertised in EHLO and enforced on DATA (552 beyond it)
 * @param maxRecipients recipients per message; the next RCPT is answered 452 4.5.3
 * @param allowCleartextAuth when false (the default, RFC 8314), AUTH is neither advertised nor
 *     accepted before STARTTLS (530 5.7.0); on the implicit-TLS listener it always is. Turn it on
 *     only for a loopback-only listener, where a password never crosses a network. MAIL always
 *     requires AUTH, whatever this says: the server is never an open relay.
 * @param maxConnections concurrent sessions over both listeners; beyond it new clients get
 *     421 4.7.0 at once
 * @param maxConnectionsPerAddress concurrent sessions from one client IP address; beyond it 421 4.7.0
 * @param idleTimeout how long a session may wait for the client's next line before it is closed
 * @param authFailureDelay how much longer each failed AUTH from an address waits for its 535 than the
 *     one before (see {@link AuthThrottle}); zero answers at once
 * @param smtps a second listener with implicit TLS (SMTPS, as SES offers on 465), or none (default);
 *     port 0 picks a free one
 */
public record SubmissionSettings(
        String host,
        int port,
        String hostName,
        int maxMessageBytes,
        int maxRecipients,
        boolean allowCleartextAuth,
        int maxConnections,
        int maxConnectionsPerAddress,
        Duration idleTimeout,
        Duration authFailureDelay,
        Optional<InetSocketAddress> smtps) {
    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 2587;
    public static final String DEFAULT_HOST_NAME = "localhost";
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 40 * 1024 * 1024;
    public static final int DEFAULT_MAX_RECIPIENTS = 50;
    public static final boolean DEFAULT_ALLOW_CLEARTEXT_AUTH = false;
    public static final int DEFAULT_MAX_CONNECTIONS = 1000;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_ADDRESS = 100;
    public static final Duration DEFAULT_IDLE_TIMEOUT = Duration.ofMinutes(5);
    public static final Duration DEFAULT_AUTH_FAILURE_DELAY = Duration.ofSeconds(1);

    public SubmissionSettings {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(hostName, "hostName");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        Objects.requireNonNull(authFailureDelay, "authFailureDelay");
        Objects.requireNonNull(smtps, "smtps");
        if (host.isBlank() || hostName.isBlank() || hostName.chars().anyMatch(c -> c <= ' ')) {
            throw new IllegalArgumentException("host and hostName must be non-empty, hostName without spaces");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is out of range 0-65535");
        }
        if (maxMessageBytes < 1 || maxRecipients < 1 || maxConnections < 1 || maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException(
                    "maxMessageBytes, maxRecipients, maxConnections and maxConnectionsPerAddress must be positive");
        }
        if (idleTimeout.toMillis() < 1 || idleTimeout.toMillis() > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("idleTimeout must be between 1 ms and 24 days");
        }
        if (authFailureDelay.isNegative() || authFailureDelay.compareTo(Duration.ofMinutes(1)) > 0) {
            throw new IllegalArgumentException("authFailureDelay must be between 0 and 1 minute");
        }
    }

    public static SubmissionSettings defaults() {
        return new SubmissionSettings(
                DEFAULT_HOST,
                DEFAULT_PORT,
                DEFAULT_HOST_NAME,
                DEFAULT_MAX_MESSAGE_BYTES,
                DEFAULT_MAX_RECIPIENTS,
                DEFAULT_ALLOW_CLEARTEXT_AUTH,
                DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
                DEFAULT_IDLE_TIMEOUT,
                DEFAULT_AUTH_FAILURE_DELAY,
                Optional.empty());
    }

    public SubmissionSettings withAddress(String newHost, int newPort) {
        return new SubmissionSettings(
                newHost,
                newPort,
                hostName,
                maxMessageBytes,
                maxRecipients,
                allowCleartextAuth,
                maxConnections,
                maxConnectionsPerAddress,
                idleTimeout,
                authFailureDelay,
                smtps);
    }

    public SubmissionSettings withHostName(String name) {
        return new SubmissionSettings(
                host,
                port,
                name,
                maxMessageBytes,
                maxRecipients,
                allowCleartextAuth,
                maxConnections,
                maxConnectionsPerAddress,
                idleTimeout,
                authFailureDelay,
                smtps);
    }

    public SubmissionSettings withMaxMessageBytes(int bytes) {
        return new SubmissionSettings(
                host,
                port,
                hostName,
                bytes,
                maxRecipients,
                allowCleartextAuth,
                maxConnections,
                maxConnectionsPerAddress,
                idleTimeout,
                authFailureDelay,
                smtps);
    }

    public SubmissionSettings withMaxRecipients(int count) {
        return new SubmissionSettings(
                host,
                port,
                hostName,
                maxMessageBytes,
                count,
                allowCleartextAuth,
                maxConnections,
                maxConnectionsPerAddress,
                idleTimeout,
                authFailureDelay,
                smtps);
    }

    public SubmissionSettings withAllowCleartextAuth(boolean allowed) {
        return new SubmissionSettings(
                host,
                port,
                hostName,
                maxMessageBytes,
                maxRecipients,
                allowed,
                maxConnections,
                maxConnectionsPerAddress,
                idleTimeout,
                authFailureDelay,
                smtps);
    }

    public SubmissionSettings withMaxConnections(int count) {
        return new SubmissionSettings(
                host,
                port,
                hostName,
                maxMessageBytes,
                maxRecipients,
                allowCleartextAuth,
                count,
                maxConnectionsPerAddress,
                idleTimeout,
                authFailureDelay,
                smtps);
    }

    public SubmissionSettings withMaxConnectionsPerAddress(int count) {
        return new SubmissionSettings(
                host,
                port,
                hostName,
                maxMessageBytes,
                maxRecipients,
                allowCleartextAuth,
                maxConnections,
                count,
                idleTimeout,
                authFailureDelay,
                smtps);
    }

    public SubmissionSettings withIdleTimeout(Duration timeout) {
        return new SubmissionSettings(
                host,
                port,
                hostName,
                maxMessageBytes,
                maxRecipients,
                allowCleartextAuth,
                maxConnections,
                maxConnectionsPerAddress,
                timeout,
                authFailureDelay,
                smtps);
    }

    public SubmissionSettings withAuthFailureDelay(Duration delay) {
        return new SubmissionSettings(
                host,
                port,
                hostName,
                maxMessageBytes,
                maxRecipients,
                allowCleartextAuth,
                maxConnections,
                maxConnectionsPerAddress,
                idleTimeout,
                delay,
                smtps);
    }

    /** Adds the implicit-TLS listener (host and port as for the main one). */
    public SubmissionSettings withSmtps(String smtpsHost, int smtpsPort) {
        if (smtpsPort < 0 || smtpsPort > 65535) {
            throw new IllegalArgumentException("smtps port " + smtpsPort + " is out of range 0-65535");
        }
        return new SubmissionSettings(
                host,
                port,
                hostName,
                maxMessageBytes,
                maxRecipients,
                allowCleartextAuth,
                maxConnections,
                maxConnectionsPerAddress,
                idleTimeout,
                authFailureDelay,
                Optional.of(InetSocketAddress.createUnresolved(smtpsHost, smtpsPort)));
    }
}
