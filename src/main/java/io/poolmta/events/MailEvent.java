package io.poolmta.events;

import io.poolmta.message.Envelope;
import io.poolmta.message.MailHeaders;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Something that happened to a message. {@code recipients} are the ones concerned;
 * {@code outgoingIp} and {@code poolName} say where it left from (empty before a source was
 * chosen); {@code reply} is the receiver's answer when there was one; {@code overflowFrom} names the
 * message's own pool when warm-up caps sent it through the shared pool; {@code headers} summarises
 * the message's header section ({@code mail.headers} and {@code mail.commonHeaders}).
 */
public record MailEvent(
        EventType type,
        Instant timestamp,
        Envelope envelope,
        List<String> recipients,
        Optional<String> outgoingIp,
        String poolName,
        Optional<String> remoteMta,
        Optional<String> reply,
        Detail detail,
        Optional<String> overflowFrom,
        MailHeaders headers) {

    public MailEvent {
        recipients = List.copyOf(recipients);
        Objects.requireNonNull(headers);
    }

    /** An event of mail that left from its own pool. */
    public MailEvent(
            EventType type,
            Instant timestamp,
            Envelope envelope,
            List<String> recipients,
            Optional<String> outgoingIp,
            String poolName,
            Optional<String> remoteMta,
            Optional<String> reply,
            Detail detail,
            MailHeaders headers) {
        this(
                type,
                timestamp,
                envelope,
                recipients,
                outgoingIp,
                poolName,
                remoteMta,
                reply,
                detail,
                Optional.empty(),
                headers);
    }

    /** Per-type facts. */
    public sealed interface Detail {}

    public record Send() implements Detail {}

    public record Delivery(long processingTimeMillis) implements Detail {}

    /** bounceType is Permanent or Transient; subType General unless known better. */
    public record Bounce(String bounceType, String bounceSubType) implements Detail {}

    public record DeliveryDelay(String delayType, Instant expirationTime) implements Detail {}

    public record Reject(String reason) implements Detail {}

    /** A templated message was not sent: its data left a variable without a value (SES's {@code failure}). */
    public record RenderingFailure(String errorMessage, String templateName) implements Detail {}
}
