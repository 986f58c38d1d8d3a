package io.poolmta.delivery.smtp;

import java.util.List;

/** One message for one destination: the envelope sender, the recipients there, the bytes (CRLF). */
public record OutboundMessage(String messageId, String mailFrom, List<String> recipients, byte[] content) {
    public OutboundMessage {
        recipients = List.copyOf(recipients);
    }
}
