package io.poolmta.account;

import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The per-second sending rate of each account: a token bucket per account that refills at
 * {@code maxSendRate} recipients per second and holds at most one second's worth (at least one),
 * so bursts are short. A message takes one token per recipient; one with more recipients than the
 * bucket holds needs a full bucket and leaves it in debt, so the average rate holds for any size
 * of message. Time is read from the injected clock; a clock that steps back adds nothing.
 */
public final class SendRateLimiter {
    private static final class Bucket {
        double tokens;
        long lastMillis;

        Bucket(double tokens, long lastMillis) {
            this.tokens = tokens;
            this.lastMillis = lastMillis;
        }
    }

    private final Clock clock;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    public SendRateLimiter(Clock clock) {
        this.clock = clock;
    }

    /** Takes {@code recipients} tokens at {@code maxSendRate} per second; false (nothing taken) when too soon. */
    public boolean tryTake(String accountId, int recipients, double maxSendRate) {
        double capacity = Math.max(1, maxSendRate);
        long now = clock.millis();
        Bucket b = buckets.computeIfAbsent(accountId, id -> new Bucket(capacity, now));
        synchronized (b) {
            if (now > b.lastMillis) {
                b.tokens = Math.min(capacity, b.tokens + (now - b.lastMillis) / 1000.0 * maxSendRate);
                b.lastMillis = now;
            }
            b.tokens = Math.min(b.tokens, capacity); // the rate may have been lowered
            if (b.tokens < Math.min(recipients, capacity)) {
                return false;
            }
            b.tokens -= recipients;
            return true;
        }
    }

    /** Gives back tokens taken for a message that was not accepted. */
    public void giveBack(String accountId, int recipients) {
        Bucket b = buckets.get(accountId);
        if (b != null) {
            synchronized (b) {
                b.tokens += recipients;
            }
        }
    }
}
