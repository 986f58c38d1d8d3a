package io.poolmta.sim;

import java.time.Instant;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One source IP's history with one provider, and the provider's decisions about it.
 * <p>
 * Keeps what reputation needs (accepted and throttled per UTC day, for the remembered days) and
 * what the limits need (accepted in the current clock hour, recipients reserved by open
 * transactions, connections open now). Every decision reserves or records atomically, so however
 * many connections an IP opens at once it never gets more than its allowance: a RCPT reserves a
 * slot of the hour's allowance, the end of DATA turns reservations into accepted mail, and RSET or
 * a dropped connection releases them. Thread-safe (one lock per IP). The clock is expected to move
 * forward; going back to an earlier hour starts that hour's count afresh.
 */
final class SourceHistory {
    private static final long SECONDS_PER_HOUR = 3600;
    private static final long SECONDS_PER_DAY = 86_400;

    private final String ip;
    private final ProviderProfile profile;
    private final NavigableMap<Long, DayTotals> days = new TreeMap<>();
    private long hour = Long.MIN_VALUE;
    private long acceptedThisHour;
    private long reserved;
    private int activeConnections;
    private long accepted;
    private long acceptedMessages;
    private long rateLimited;
    private long connectionLimited;
    private long refusedConnections;
    private long unknownRecipients;
    private Instant firstSeen;
    private Instant lastAccepted;
    private String ehloName;

    SourceHistory(String ip, ProviderProfile profile) {
        this.ip = ip;
        this.profile = profile;
    }

    /** Takes a connection slot, or counts a refusal and returns false when the IP has all it may. */
    synchronized boolean openConnection(Instant now) {
        seen(now);
        if (activeConnections >= limits(now).concurrentConnections()) {
            refusedConnections++;
            throttledToday(now);
            return false;
        }
        activeConnections++;
        return true;
    }

    synchronized void closeConnection() {
        activeConnections--;
    }

    synchronized void ehlo(String name) {
        ehloName = name;
    }

    /** Whether a connection that has carried {@code messages} may start another; counts a refusal. */
    synchronized boolean mayStartMessage(int messages, Instant now) {
        if (messages < limits(now).messagesPerConnection()) {
            return true;
        }
        connectionLimited++;
        throttledToday(now);
        return false;
    }

    /** Reserves one recipient of this hour's allowance, or counts a rate limit and returns false. */
    synchronized boolean reserveRecipient(Instant now) {
        rollHour(now);
        if (acceptedThisHour + reserved >= limits(now).messagesPerHour()) {
            rateLimited++;
            throttledToday(now);
            return false;
        }
        reserved++;
        return true;
    }

    /** Gives back reservations of a transaction that did not complete. */
    synchronized void release(int recipients) {
        reserved -= recipients;
    }

    /** Turns a transaction's reservations into one accepted message for {@code recipients}. */
    synchronized void accept(int recipients, Instant now) {
        rollHour(now);
        reserved -= recipients;
        acceptedThisHour += recipients;
        accepted += recipients;
        acceptedMessages++;
        lastAccepted = now;
        days.merge(day(now), new DayTotals(recipients, 0), (a, b) -> a.plus(b.accepted(), 0));
        forget(now);
    }

    synchronized void unknownRecipient() {
        unknownRecipients++;
    }

    synchronized long accepted() {
        return accepted;
    }

    synchronized long acceptedMessages() {
        return acceptedMessages;
    }

    synchronized long throttled() {
        return rateLimited + connectionLimited + refusedConnections;
    }

    synchronized SourceSnapshot snapshot(Instant now) {
        rollHour(now);
        double score = reputation(now);
        SendingLimits allowance = profile.limitsAt(score);
        return new SourceSnapshot(
                ip,
                score,
                allowance,
                acceptedThisHour,
                Math.max(0, allowance.messagesPerHour() - acceptedThisHour - reserved),
                days.getOrDefault(day(now), DayTotals.NONE).accepted(),
                accepted,
                acceptedMessages,
                rateLimited,
                connectionLimited,
                refusedConnections,
                unknownRecipients,
                activeConnections,
                Optional.ofNullable(firstSeen),
                Optional.ofNullable(lastAccepted),
                Optional.ofNullable(ehloName));
    }

    private SendingLimits limits(Instant now) {
        return profile.limitsAt(reputation(now));
    }

    private double reputation(Instant now) {
        return profile.reputation().score(days, day(now));
    }

    private void seen(Instant now) {
        if (firstSeen == null) {
            firstSeen = now;
        }
    }

    private void throttledToday(Instant now) {
        days.merge(day(now), new DayTotals(0, 1), (a, b) -> a.plus(0, 1));
        forget(now);
    }

    private void rollHour(Instant now) {
        long current = Math.floorDiv(now.getEpochSecond(), SECONDS_PER_HOUR);
        if (current != hour) {
            hour = current;
            acceptedThisHour = 0;
        }
    }

    private void forget(Instant now) {
        days.headMap(day(now) - profile.reputation().memoryDays(), false).clear();
    }

    private static long day(Instant now) {
        return Math.floorDiv(now.getEpochSecond(), SECONDS_PER_DAY);
    }
}
