package io.poolmta.delivery.smtp;

import io.poolmta.egress.SourceAddress;

/**
 * Observes what the {@link SmtpClient} does, so that logs and metrics stay out of the protocol
 * logic (OkHttp's EventListener). Called on the delivering thread; implementations must be quick,
 * thread-safe and must not throw. Every method has a no-op default.
 */
public interface SmtpClientListener {
    SmtpClientListener NONE = new SmtpClientListener() {};

    /** One host (or one address of it) could not take the session; {@code reason} is a made-up 4xx. */
    default void hostFailed(SourceAddress source, String host, SmtpReply reason) {}

    /** A session is ready for mail: greeted, EHLO said, TLS negotiated if it was to be. */
    default void connected(SourceAddress source, String remoteAddress, boolean tls) {}

    /** One message of the batch has its result (which may be that it was not attempted). */
    default void messageDone(SourceAddress source, DeliveryResult result) {}
}
