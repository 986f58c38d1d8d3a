package io.poolmta.delivery;

import java.util.List;
import java.util.Optional;

/**
 * The outcome of one message in one attempt, per recipient. {@code remoteAddress} is the server
 * that answered (empty when none could be reached); {@code tls} whether the transaction was
 * encrypted.
 */
public record DeliveryResult(String messageId, Optional<String> remoteAddress, boolean tls, List<RecipientResult> recipients) {
    public DeliveryResult {
        recipients = List.copyOf(recipients);
    }
}
