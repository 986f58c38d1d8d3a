package io.poolmta.spool;

import io.poolmta.message.Envelope;
import java.util.Objects;

/** An accepted message: its envelope and its full RFC 5322 bytes (CRLF line endings). */
public record SpooledMessage(Envelope envelope, byte[] content) {
    public SpooledMessage {
        Objects.requireNonNull(envelope);
        Objects.requireNonNull(content);
    }

    public String messageId() {
        return envelope.messageId();
    }
}
