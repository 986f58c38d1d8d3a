package io.poolmta.provider;

/**
 * How hard one source IP may push one provider: concurrent connections, messages per connection,
 * messages per hour (0 = no hourly limit), and, while a standard IP warms up, the largest share of
 * its daily cap this provider may take (1 = all of it). Adaptive throttling works below these.
 */
public record ProviderLimits(int connectionsPerIp, int messagesPerConnection, int messagesPerHour, double warmupShare) {
    public static final ProviderLimits DEFAULT = new ProviderLimits(10, 100, 0, 1.0);

    public ProviderLimits {
        if (connectionsPerIp < 1 || messagesPerConnection < 1 || messagesPerHour < 0) {
            throw new IllegalArgumentException("limits must be positive (messagesPerHour may be 0: unlimited)");
        }
        if (warmupShare <= 0 || warmupShare > 1) {
            throw new IllegalArgumentException("warmupShare must be in (0, 1]");
        }
    }
}
