package io.poolmta.spool;

import java.util.Arrays;
import java.util.List;

/**
 * Durable store of accepted messages.
 * <ul>
 *   <li>{@link #store} returns only once the message is on stable storage (fsync); concurrent
 *       callers share fsyncs (group commit). If it throws, the message was not stored and must not
 *       be acknowledged. What it returns keeps the envelope and only a reference to the bytes.</li>
 *   <li>{@link #content} reads a stored message's bytes back (checksum verified); it throws
 *       {@link SpoolException} when they cannot be read. {@link #head} reads only their first
 *       bytes (at most {@code maxBytes}), without the checksum: enough to read the header section
 *       for an event without reading the whole message.</li>
 *   <li>{@link #recipientDone} records a final outcome (delivered, bounced, expired) of one recipient.
 *       It need not wait for fsync: after a crash a recipient whose outcome was not yet on disk is
 *       delivered again (a counted duplicate), never lost.</li>
 *   <li>{@link #recover} is called once at start, before any {@code store}: it returns every stored
 *       message that still has recipients without an outcome, with only those recipients, in
 *       acceptance order, without its content (read it with {@link #content}). Corrupt or
 *       truncated records are skipped and reported, never fatal.</li>
 * </ul>
 * Implementations are safe for concurrent use.
 */
public interface Spool extends AutoCloseable {
    StoredMessage store(SpooledMessage message);

    byte[] content(StoredMessage message);

    default byte[] head(StoredMessage message, int maxBytes) {
        byte[] content = content(message);
        return content.length <= maxBytes ? content : Arrays.copyOf(content, maxBytes);
    }

    void recipientDone(String messageId, String recipient);

    List<StoredMessage> recover();

    /** Messages stored and not yet finished (every recipient has an outcome). */
    long pendingCount();

    @Override
    void close();
}
