package io.poolmta.account;

import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import java.time.Clock;
import java.time.Instant;
import java.util.function.IntSupplier;

/**
 * Holds every message to its account's {@link SendQuota} before it is accepted, counting each
 * recipient as one, as SES does. {@link #admit} refuses with SES's texts: over the rate → THROTTLED
 * "Maximum sending rate exceeded."; over the 24-hour quota → LIMIT_EXCEEDED "Daily message quota
 * exceeded.". Otherwise it returns a {@link Permit}: {@link Permit#accepted()} once the message is
 * on stable storage counts it in SentLast24Hours, {@link Permit#refused()} gives everything back.
 * The daily count uses the domain clock; the rate uses {@code rateClock} (real seconds).
 *
 * <p>In a cluster the daily count is cluster-wide ({@link RollingSendCount}) and each node takes
 * an equal share of the account's rate ({@code MaxSendRate} divided by the nodes that are up), so
 * the cluster together never accepts faster than the rate, wherever the clients connect.
 */
public final class SendQuotaGate {
    public static final String RATE_EXCEEDED = "Maximum sending rate exceeded.";
    public static final String DAILY_QUOTA_EXCEEDED = "Daily message quota exceeded.";

    private final RollingSendCount sent;
    private final SendRateLimiter rate;
    private final Clock clock;
    private final IntSupplier nodesUp;

    public SendQuotaGate(RollingSendCount sent, SendRateLimiter rate, Clock clock) {
        this(sent, rate, clock, () -> 1);
    }

    /** {@code nodesUp}: how many nodes share the rate (1 for a single node). */
    public SendQuotaGate(RollingSendCount sent, SendRateLimiter rate, Clock clock, IntSupplier nodesUp) {
        this.sent = sent;
        this.rate = rate;
        this.clock = clock;
        this.nodesUp = nodesUp;
    }

    /** What was taken for one message, to be confirmed or given back. */
    public final class Permit {
        private final String accountId;
        private final int recipients;
        private final boolean reserved;
        private final boolean rated;

        private Permit(String accountId, int recipients, boolean reserved, boolean rated) {
            this.accountId = accountId;
            this.recipients = recipients;
            this.reserved = reserved;
            this.rated = rated;
        }

        /** The message was accepted: its recipients count as sent now. */
        public void accepted() {
            sent.commit(accountId, recipients, reserved, clock.instant());
        }

        /** The message was not accepted: nothing of it counts. */
        public void refused() {
            if (reserved) {
                sent.release(accountId, recipients);
            }
            if (rated) {
                rate.giveBack(accountId, recipients);
            }
        }
    }

    /** A permit that takes and counts nothing: for the operator's own mail, which is not the account's. */
    public Permit uncounted(Account account) {
        return new Permit(account.id(), 0, false, false);
    }

    public Permit admit(Account account, int recipients) {
        SendQuota quota = account.sendQuota();
        Instant now = clock.instant();
        boolean reserved = false;
        if (quota.dailyLimited()) {
            if (!sent.tryReserve(account.id(), recipients, quota.max24HourSend(), now)) {
                throw new PoolMtaException(ErrorKind.LIMIT_EXCEEDED, DAILY_QUOTA_EXCEEDED);
            }
            reserved = true;
        }
        boolean rated = false;
        if (quota.rateLimited()) {
            double share = quota.maxSendRate() / Math.max(1, nodesUp.getAsInt());
            if (quota.maxSendRate() == 0 || !rate.tryTake(account.id(), recipients, share)) {
                if (reserved) {
                    sent.release(account.id(), recipients);
                }
                throw new PoolMtaException(ErrorKind.THROTTLED, RATE_EXCEEDED);
            }
            rated = true;
        }
        return new Permit(account.id(), recipients, reserved, rated);
    }

    public long sentLast24Hours(String accountId) {
        return sent.sentLast24Hours(accountId, clock.instant());
    }

    /** Stores the counts changed since the last call. */
    public synchronized void flush() {
        sent.flush(clock.instant());
    }
}
