package io.poolmta.delivery;

import java.time.Duration;

/**
 * Limits of the delivery engine, with named defaults: connections per egress path (source IP ×
 * destination), messages per connection, the retry policy, the default MaxDeliverySeconds when a
 * configuration set names none (SES: 14 hours), and how often the scheduler looks for due work.
 */
public record DeliverySettings(
        int maxConnectionsPerPath,
        int maxMessagesPerConnection,
        RetryPolicy retry,
        Duration defaultMaxDelivery,
        Duration tick) {

    public static final DeliverySettings DEFAULT =
            new DeliverySettings(4, 100, RetryPolicy.DEFAULT, Duration.ofSeconds(50_400), Duration.ofMillis(20));

    public DeliverySettings {
        if (maxConnectionsPerPath < 1 || maxMessagesPerConnection < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public DeliverySettings withRetry(RetryPolicy policy) {
        return new DeliverySettings(maxConnectionsPerPath, maxMessagesPerConnection, policy, defaultMaxDelivery, tick);
    }
}
