package io.poolmta.sim;

import java.time.Instant;
import java.util.Optional;

/**
 * One source IP as a provider sees it at one moment. Counts are since the simulator started;
 * "accepted" counts recipients (a message to two recipients counts two, as providers count volume),
 * {@code acceptedMessages} counts messages.
 *
 * @param reputation the score 0–100 at the start of today
 * @param allowance the limits that score gives now
 * @param remainingThisHour how many more recipients the IP may send in this clock hour
 * @param rateLimited RCPTs answered with the rate-limit reply
 * @param connectionLimited MAILs refused because the connection had carried its allowance
 * @param refusedConnections connections refused at the greeting (too many at once)
 * @param unknownRecipients RCPTs refused with 550 5.1.1
 */
public record SourceSnapshot(
        String sourceIp,
        double reputation,
        SendingLimits allowance,
        long acceptedThisHour,
        long remainingThisHour,
        long acceptedToday,
        long accepted,
        long acceptedMessages,
        long rateLimited,
        long connectionLimited,
        long refusedConnections,
        long unknownRecipients,
        int activeConnections,
        Optional<Instant> firstSeen,
        Optional<Instant> lastAccepted,
        Optional<String> ehloName) {
    /** Every throttle reply the IP received: rate limits, per-connection limits, refused connections. */
    public long throttled() {
        return rateLimited + connectionLimited + refusedConnections;
    }
}
