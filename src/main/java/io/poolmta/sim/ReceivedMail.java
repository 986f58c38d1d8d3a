package io.poolmta.sim;

import java.time.Instant;
import java.util.List;

/**
 * One message a simulated provider accepted: the envelope, the size of the content (after
 * un-stuffing, CRLF line endings) and its header section (cut at {@link #MAX_HEADER_CHARS}).
 */
public record ReceivedMail(
        Instant receivedAt,
        String sourceIp,
        String ehloName,
        String mailFrom,
        List<String> recipients,
        long size,
        String headers) {
    public static final int MAX_HEADER_CHARS = 8192;

    public ReceivedMail {
        recipients = List.copyOf(recipients);
    }
}
