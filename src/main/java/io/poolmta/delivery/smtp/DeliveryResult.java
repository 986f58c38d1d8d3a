package io.poolmta.delivery.smtp;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of one message in one delivery call, per recipient. {@code remoteAddress} is the
 * server that answered (empty when none could be reached); {@code tls} whether the transaction was
 * encrypted.
 * <p>
 * {@code attempted} is false for a message that was never tried: the connection broke (or could
 * not be opened) on an earlier message of the batch before this one's transaction began. Such a
 * result says nothing about the message, has no recipient results and no remote address; the
 * message is to be tried again as if this call had not happened ({@link #notAttempted}).
 */
public record DeliveryResult(
        String messageId,
        Optional<String> remoteAddress,
        boolean tls,
        List<RecipientResult> recipients,
        boolean attempted) {
    public DeliveryResult {
        recipients = List.copyOf(recipients);
        if (!attempted && (!recipients.isEmpty() || remoteAddress.isPresent() || tls)) {
            throw new IllegalArgumentException("a message that was not attempted has no results");
        }
    }

    /** The result of a message that was attempted. */
    public DeliveryResult(
            String messageId, Optional<String> remoteAddress, boolean tls, List<RecipientResult> recipients) {
        this(messageId, remoteAddress, tls, recipients, true);
    }

    /** A message the call never tried, because the connection was gone before its turn. */
    public static DeliveryResult notAttempted(String messageId) {
        return new DeliveryResult(messageId, Optional.empty(), false, List.of(), false);
    }
}
