package io.poolmta.feedback;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

/**
 * The feedback listener's settings: where it listens, the operator's bounce domain (return paths
 * on it are accepted; so are those on the accounts' verified custom MAIL FROM domains), the name
 * it greets with, and its limits: the largest report ({@value #DEFAULT_MAX_REPORT_BYTES} bytes by
 * default; a larger one is refused with 552 5.3.4), recipients per transaction, connections in all
 * and per client address, and the idle timeout.
 */
public record FeedbackSettings(
        String host,
        int port,
        String bounceDomain,
        String hostName,
        int maxReportBytes,
        int maxRecipients,
        int maxConnections,
        int maxConnectionsPerAddress,
        Duration idleTimeout) {
    public static final int DEFAULT_MAX_REPORT_BYTES = 10 * 1024 * 1024;

    public FeedbackSettings {
        Objects.requireNonNull(host);
        bounceDomain = bounceDomain.toLowerCase(Locale.ROOT);
        if (maxReportBytes < 1024 || maxRecipients < 1 || maxConnections < 1 || maxConnectionsPerAddress < 1) {
            throw new IllegalArgumentException("feedback listener limits must be positive");
        }
    }

    public static FeedbackSettings defaults(String host, int port, String bounceDomain, String hostName) {
        return new FeedbackSettings(
                host, port, bounceDomain, hostName, DEFAULT_MAX_REPORT_BYTES, 50, 100, 20, Duration.ofSeconds(60));
    }

    public FeedbackSettings withMaxReportBytes(int bytes) {
        return new FeedbackSettings(
                host,
                port,
                bounceDomain,
                hostName,
                bytes,
                maxRecipients,
                maxConnections,
                maxConnectionsPerAddress,
                idleTimeout);
    }

    public FeedbackSettings withConnections(int max, int perAddress) {
        return new FeedbackSettings(
                host, port, bounceDomain, hostName, maxReportBytes, maxRecipients, max, perAddress, idleTimeout);
    }

    public FeedbackSettings withIdleTimeout(Duration timeout) {
        return new FeedbackSettings(
                host,
                port,
                bounceDomain,
                hostName,
                maxReportBytes,
                maxRecipients,
                maxConnections,
                maxConnectionsPerAddress,
                timeout);
    }
}
