package io.poolmta.delivery;

import java.time.Duration;

/**
 * Limits of the delivery engine, with named defaults: connections per egress path (source IP ×
 * destination), messages per connection, the retry policy, the default MaxDeliverySeconds when a
 * configuration set names none (SES: 14 hours), how often the scheduler looks for due work, and how
 * long an open connection waits for more messages of its path once its queue is empty before it
 * QUITs ({@code connectionIdle}; Postfix's connection cache keeps them 2 s).
 */
public record DeliverySettings(
        int maxConnectionsPerPath,
        int maxMessagesPerConnection,
        RetryPolicy retry,
        Duration defaultMaxDelivery,
        Duration tick,
        Duration connectionIdle) {

    public static final DeliverySettings DEFAULT = new DeliverySettings(
            10, 100, RetryPolicy.DEFAULT, Duration.ofSeconds(50_400), Duration.ofMillis(20), Duration.ofMillis(500));

    public DeliverySettings {
        if (maxConnectionsPerPath < 1 || maxMessagesPerConnection < 1) {
            throw new IllegalArgumentException("limits must be positive");
        }
        if (connectionIdle.isNegative()) {
            throw new IllegalArgumentException("connectionIdle must not be negative");
        }
    }

    public DeliverySettings withRetry(RetryPolicy policy) {
        return new DeliverySettings(
                maxConnectionsPerPath, maxMessagesPerConnection, policy, defaultMaxDelivery, tick, connectionIdle);
    }
}
