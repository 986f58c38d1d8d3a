package io.poolmta.suppression;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One address on an account's suppression list. {@code emailAddress} is normalised
 * ({@link SuppressionAddresses#normalize}); {@code messageId} and {@code feedbackId} name the message
 * and the bounce or complaint that put it there, when PoolMTA added it.
 */
public record SuppressedDestination(
        String accountId,
        String emailAddress,
        SuppressionReason reason,
        Instant lastUpdateTime,
        Optional<String> messageId,
        Optional<String> feedbackId) {

    public SuppressedDestination {
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(emailAddress);
        Objects.requireNonNull(reason);
        Objects.requireNonNull(lastUpdateTime);
        Objects.requireNonNull(messageId);
        Objects.requireNonNull(feedbackId);
    }
}
