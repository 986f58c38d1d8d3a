package io.poolmta.spool;

import io.poolmta.message.Envelope;
import java.util.List;
import java.util.Objects;

/**
 * A message on stable storage as the rest of PoolMTA holds it: the envelope in memory, the content
 * on disk at {@code ref}. Keeping the bytes out of memory is what lets a large queue (a receiver
 * down for hours) fit in a small heap.
 */
public record StoredMessage(Envelope envelope, SpoolRef ref) {
    public StoredMessage {
        Objects.requireNonNull(envelope);
        Objects.requireNonNull(ref);
    }

    public String messageId() {
        return envelope.messageId();
    }

    /** The same message with only {@code remaining} of its recipients still to deliver. */
    StoredMessage withRecipients(List<String> remaining) {
        return remaining.equals(envelope.recipients())
                ? this
                : new StoredMessage(envelope.withRecipients(remaining), ref);
    }
}
