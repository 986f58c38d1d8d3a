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

    /**
     * A bounce, in SES's {@code bounceType} and {@code bounceSubType}. A bounce PoolMTA saw itself
     * (a reply during delivery, an expiry) has no {@code bouncedRecipients}: each of the event's
     * recipients is reported with the event's reply. A bounce report that came back later carries
     * each recipient's own action, status and diagnostic, the report's {@code reportingMta}
     * ("dns; mx.example.net") and its {@code feedbackId}.
     */
    public record Bounce(
            String bounceType,
            String bounceSubType,
            List<BouncedRecipient> bouncedRecipients,
            Optional<String> reportingMta,
            Optional<String> feedbackId)
            implements Detail {
        public Bounce {
            bouncedRecipients = List.copyOf(bouncedRecipients);
            Objects.requireNonNull(reportingMta);
            Objects.requireNonNull(feedbackId);
        }

        /** A bounce PoolMTA saw itself: its recipients and reply are the event's. */
        public Bounce(String bounceType, String bounceSubType) {
            this(bounceType, bounceSubType, List.of(), Optional.empty(), Optional.empty());
        }
    }

    /** One recipient of a bounce report: SES's {@code bouncedRecipients} entry. */
    public record BouncedRecipient(
            String emailAddress, String action, Optional<String> status, Optional<String> diagnosticCode) {
        public BouncedRecipient {
            Objects.requireNonNull(emailAddress);
            Objects.requireNonNull(action);
            Objects.requireNonNull(status);
            Objects.requireNonNull(diagnosticCode);
        }
    }

    /**
     * A complaint (an ARF report from a mailbox provider's feedback loop): the event's recipients
     * are SES's {@code complainedRecipients}; {@code feedbackType} ({@code abuse}, {@code fraud}, …),
     * {@code userAgent} and {@code arrivalDate} are the report's when it gave them.
     */
    public record Complaint(
            Optional<String> feedbackType, Optional<String> userAgent, Optional<Instant> arrivalDate, String feedbackId)
            implements Detail {
        public Complaint {
            Objects.requireNonNull(feedbackType);
            Objects.requireNonNull(userAgent);
            Objects.requireNonNull(arrivalDate);
            Objects.requireNonNull(feedbackId);
        }
    }

    public record DeliveryDelay(String delayType, Instant expirationTime) implements Detail {}

    public record Reject(String reason) implements Detail {}

    /** A templated message was not sent: its data left a variable without a value (SES's {@code failure}). */
    public record RenderingFailure(String errorMessage, String templateName) implements Detail {}
}
