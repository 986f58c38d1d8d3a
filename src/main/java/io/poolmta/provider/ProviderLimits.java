package io.poolmta.provider;

/**
 * How hard one source IP may push one provider: concurrent connections, messages per connection,
 * and messages per hour (0 = no hourly limit). Adaptive throttling works below these ceilings.
 */
public record ProviderLimits(int connectionsPerIp, int messagesPerConnection, int messagesPerHour) {
    public static final ProviderLimits DEFAULT = new ProviderLimits(4, 100, 0);

    public ProviderLimits {
        if (connectionsPerIp < 1 || messagesPerConnection < 1 || messagesPerHour < 0) {
            throw new IllegalArgumentException("limits must be positive (messagesPerHour may be 0: unlimited)");
        }
    }
}
