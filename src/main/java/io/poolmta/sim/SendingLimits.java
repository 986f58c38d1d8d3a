package io.poolmta.sim;

/**
 * How much one source IP may send to a provider: messages (recipients) per clock hour, messages on
 * one connection, connections open at once. Every field at least 1; {@link Integer#MAX_VALUE}
 * means no limit.
 */
public record SendingLimits(int messagesPerHour, int messagesPerConnection, int concurrentConnections) {
    public static final SendingLimits UNLIMITED =
            new SendingLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);

    public SendingLimits {
        if (messagesPerHour < 1 || messagesPerConnection < 1 || concurrentConnections < 1) {
            throw new IllegalArgumentException("sending limits must be at least 1: " + messagesPerHour + "/h, "
                    + messagesPerConnection + "/connection, " + concurrentConnections + " connections");
        }
    }

    /**
     * The limits {@code fraction} (0–1) of the way from {@code low} to {@code high}, geometrically:
     * each step of reputation multiplies the limits by the same factor, as warm-up plans do.
     */
    static SendingLimits between(SendingLimits low, SendingLimits high, double fraction) {
        double f = Math.clamp(fraction, 0.0, 1.0);
        return new SendingLimits(
                geometric(low.messagesPerHour, high.messagesPerHour, f),
                geometric(low.messagesPerConnection, high.messagesPerConnection, f),
                geometric(low.concurrentConnections, high.concurrentConnections, f));
    }

    boolean atLeast(SendingLimits other) {
        return messagesPerHour >= other.messagesPerHour
                && messagesPerConnection >= other.messagesPerConnection
                && concurrentConnections >= other.concurrentConnections;
    }

    private static int geometric(int low, int high, double fraction) {
        if (low == high) {
            return low;
        }
        double value = low * Math.pow((double) high / low, fraction);
        return (int) Math.clamp(Math.round(value), low, high);
    }
}
