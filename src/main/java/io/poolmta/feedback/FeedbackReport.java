package io.poolmta.feedback;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What a message that came to a return path reports, as {@link ReportParser} reads it. */
public sealed interface FeedbackReport {
    /** A delivery status notification (RFC 3464): per recipient, what happened. */
    record DeliveryStatus(Optional<String> reportingMta, List<ReportedRecipient> recipients) implements FeedbackReport {
        public DeliveryStatus {
            recipients = List.copyOf(recipients);
        }
    }

    /**
     * A complaint (ARF, RFC 5965): the feedback report's fields, the recipients it names
     * ({@code Original-Rcpt-To}) and those the embedded original message was addressed to.
     */
    record Complaint(
            Optional<String> feedbackType,
            Optional<String> userAgent,
            Optional<Instant> arrivalDate,
            List<String> originalRcptTo,
            List<String> embeddedRecipients)
            implements FeedbackReport {
        public Complaint {
            originalRcptTo = List.copyOf(originalRcptTo);
            embeddedRecipients = List.copyOf(embeddedRecipients);
        }
    }

    /** No machine-readable report: the subject and the text of the message, for the plain-text patterns. */
    record PlainText(String subject, String text) implements FeedbackReport {}

    /**
     * One recipient of a delivery status notification; {@code evidence} is the text the classifier
     * reads (the diagnostic, or for a plain-text bounce the text about the recipient).
     */
    record ReportedRecipient(
            String finalRecipient,
            Optional<String> originalRecipient,
            String action,
            Optional<String> status,
            Optional<String> diagnosticCode,
            String evidence) {}
}
