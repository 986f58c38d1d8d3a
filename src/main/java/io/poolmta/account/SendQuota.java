package io.poolmta.account;

/** The account's sending limits, reported by GetAccount. */
public record SendQuota(long max24HourSend, double maxSendRate) {
    /** Self-hosted default: generous, the operator lowers it per account. */
    public static final SendQuota DEFAULT = new SendQuota(1_000_000, 500);

    public SendQuota {
        if (max24HourSend < 0 || maxSendRate < 0) {
            throw new IllegalArgumentException("quotas are non-negative");
        }
    }
}
