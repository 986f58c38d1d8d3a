package io.poolmta.account;

/**
 * The account's sending limits, reported by GetAccount and enforced on every message: at most
 * {@code max24HourSend} recipients in any 24 hours and {@code maxSendRate} recipients per second.
 * As in SES, -1 for {@code max24HourSend} means no daily limit; PoolMTA also takes -1 for
 * {@code maxSendRate} as no rate limit (for operators' own bulk accounts and benchmarks).
 */
public record SendQuota(long max24HourSend, double maxSendRate) {
    public static final long UNLIMITED = -1;

    /** SES's sandbox: 200 messages per 24 hours, one per second. */
    public static final SendQuota SANDBOX = new SendQuota(200, 1);

    /** Production access without an explicit quota: generous, the operator lowers it per account. */
    public static final SendQuota PRODUCTION = new SendQuota(1_000_000, 500);

    /** The quota of accounts created before sandboxing existed (they keep production access). */
    public static final SendQuota DEFAULT = PRODUCTION;

    public SendQuota {
        if (max24HourSend < UNLIMITED) {
            throw new IllegalArgumentException(
                    "Max24HourSend must be -1 (no limit) or at least 0, got " + max24HourSend);
        }
        if (!(maxSendRate == UNLIMITED || maxSendRate >= 0)
                || Double.isNaN(maxSendRate)
                || Double.isInfinite(maxSendRate)) {
            throw new IllegalArgumentException("MaxSendRate must be -1 (no limit) or at least 0, got " + maxSendRate);
        }
    }

    public boolean dailyLimited() {
        return max24HourSend != UNLIMITED;
    }

    public boolean rateLimited() {
        return maxSendRate != UNLIMITED;
    }
}
