package io.poolmta.feedback;

import io.poolmta.events.EventType;
import io.poolmta.message.MailHeaders;
import io.poolmta.sending.EnvelopeIntake;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Feedback forwarding by email, as SES does with {@code EmailForwardingEnabled}: when the identity
 * the message was sent from has it on, the sender (the message's From address) gets a
 * notification mail through PoolMTA itself, on the sender's account, from
 * {@code MAILER-DAEMON@<bounce domain>} with an empty envelope sender, the report attached
 * (at most {@value #MAX_ATTACHED} bytes of it). A notification is never forwarded again when it
 * bounces itself (it carries {@value #MARKER}). Failures are logged, never thrown.
 */
public final class NotificationForwarder {
    private static final Logger LOG = LoggerFactory.getLogger(NotificationForwarder.class);
    static final String MARKER = "X-PoolMTA-Feedback-Notification";
    static final int MAX_ATTACHED = 1024 * 1024;

    /** Forwards nothing. */
    public static final NotificationForwarder OFF = new NotificationForwarder(FeedbackIdentities.NONE, null, "", null);

    private final FeedbackIdentities identities;
    private final EnvelopeIntake intake;
    private final String bounceDomain;
    private final Clock clock;

    public NotificationForwarder(
            FeedbackIdentities identities, EnvelopeIntake intake, String bounceDomain, Clock clock) {
        this.identities = identities;
        this.intake = intake;
        this.bounceDomain = bounceDomain;
        this.clock = clock;
    }

    /** Forwards the report about {@code message} when its identity asks for it; returns the notification's id. */
    Optional<String> forward(SentMessage message, EventType type, List<String> recipients, byte[] report) {
        if (intake == null) {
            return Optional.empty();
        }
        try {
            MailHeaders headers = message.headers();
            if (headers.fields().stream().anyMatch(f -> f.name().equalsIgnoreCase(MARKER))) {
                return Optional.empty();
            }
            Optional<String> sender = headers.common().from().stream()
                    .findFirst()
                    .flatMap(ReportParser::addressOf)
                    .or(() -> message.mailFrom().isEmpty() ? Optional.empty() : Optional.of(message.mailFrom()));
            if (sender.isEmpty() || !identities.forwardsFeedback(message.accountId(), sender.get())) {
                return Optional.empty();
            }
            String id = intake.accept(
                    message.accountId(),
                    "",
                    List.of(sender.get()),
                    notification(message, type, recipients, report, sender.get()));
            LOG.info(
                    "forwarded the {} of message {} to {} as {}",
                    type.jsonName(),
                    message.messageId(),
                    sender.get(),
                    id);
            return Optional.of(id);
        } catch (RuntimeException e) {
            LOG.warn("could not forward the {} of message {} to its sender", type.jsonName(), message.messageId(), e);
            return Optional.empty();
        }
    }

    private byte[] notification(
            SentMessage message, EventType type, List<String> recipients, byte[] report, String to) {
        String boundary = "=_poolmta_" + message.messageId();
        boolean complaint = type == EventType.COMPLAINT;
        String subject = complaint ? "Complaint about your message" : "Delivery Status Notification (Failure)";
        String what = complaint
                ? "A recipient of your message complained about it to their mailbox provider (feedback loop report)."
                : "Your message could not be delivered to some or all of its recipients.";
        StringBuilder head = new StringBuilder()
                .append("From: MAILER-DAEMON@")
                .append(bounceDomain)
                .append("\r\n")
                .append("To: ")
                .append(to)
                .append("\r\n")
                .append("Subject: ")
                .append(subject)
                .append("\r\n")
                .append("Date: ")
                .append(DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        clock.instant().atOffset(ZoneOffset.UTC)))
                .append("\r\n")
                .append("Auto-Submitted: auto-replied\r\n")
                .append(MARKER)
                .append(": ")
                .append(type.jsonName())
                .append("\r\n")
                .append("MIME-Version: 1.0\r\n")
                .append("Content-Type: multipart/mixed; boundary=\"")
                .append(boundary)
                .append("\"\r\n\r\n")
                .append("--")
                .append(boundary)
                .append("\r\n")
                .append("Content-Type: text/plain; charset=utf-8\r\n\r\n")
                .append(what)
                .append("\r\n\r\n")
                .append("Message ID: ")
                .append(message.messageId())
                .append("\r\n")
                .append("Recipients: ")
                .append(String.join(", ", recipients))
                .append("\r\n")
                .append(message.headers()
                        .common()
                        .subject()
                        .map(s -> "Subject: " + s + "\r\n")
                        .orElse(""))
                .append("\r\nThe report is attached.\r\n\r\n")
                .append("--")
                .append(boundary)
                .append("\r\n")
                .append("Content-Type: message/rfc822\r\n\r\n");
        ByteArrayOutputStream out =
                new ByteArrayOutputStream(head.length() + Math.min(report.length, MAX_ATTACHED) + 64);
        out.writeBytes(head.toString().getBytes(StandardCharsets.UTF_8));
        out.write(report, 0, Math.min(report.length, MAX_ATTACHED));
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}
