package io.poolmta.reputation;

import java.time.Duration;

/**
 * Enforcement thresholds, as SES describes them: a bounce rate (permanent bounces over sends) at
 * or over {@code bounceReviewRate} or a complaint rate (complaints over sends) at or over
 * {@code complaintReviewRate} puts a scope under review (PROBATION); at or over the pause rates
 * it is paused (SHUTDOWN). Rates are taken over the last {@code window} (whole hours) and only
 * once it holds at least {@code minimumSends} sends. An account under review on the shared pool
 * may send at most {@code sharedPoolReviewSendRate} messages per second through it.
 */
public record ReputationPolicy(
        double bounceReviewRate,
        double bouncePauseRate,
        double complaintReviewRate,
        double complaintPauseRate,
        Duration window,
        long minimumSends,
        double sharedPoolReviewSendRate) {
    public static final ReputationPolicy DEFAULT =
            new ReputationPolicy(0.05, 0.10, 0.001, 0.005, Duration.ofDays(7), 500, 1.0);

    public ReputationPolicy {
        requireRate("reputationBounceReviewRate", bounceReviewRate);
        requireRate("reputationBouncePauseRate", bouncePauseRate);
        requireRate("reputationComplaintReviewRate", complaintReviewRate);
        requireRate("reputationComplaintPauseRate", complaintPauseRate);
        if (bouncePauseRate < bounceReviewRate || complaintPauseRate < complaintReviewRate) {
            throw new IllegalArgumentException("a pause rate must not be below its review rate");
        }
        if (window.compareTo(Duration.ofHours(1)) < 0 || window.compareTo(Duration.ofDays(90)) > 0) {
            throw new IllegalArgumentException("reputationWindowDays must be between 1 hour and 90 days");
        }
        if (minimumSends < 1) {
            throw new IllegalArgumentException("reputationMinimumSends must be 1 or more");
        }
        if (!(sharedPoolReviewSendRate > 0)) {
            throw new IllegalArgumentException("sharedPoolReviewSendRate must be more than 0");
        }
    }

    private static void requireRate(String name, double rate) {
        if (!(rate > 0 && rate <= 1)) {
            throw new IllegalArgumentException(name + " must be a share above 0 and at most 1, got " + rate);
        }
    }

    public ReputationPolicy withMinimumSends(long sends) {
        return new ReputationPolicy(
                bounceReviewRate,
                bouncePauseRate,
                complaintReviewRate,
                complaintPauseRate,
                window,
                sends,
                sharedPoolReviewSendRate);
    }

    public ReputationPolicy withWindow(Duration length) {
        return new ReputationPolicy(
                bounceReviewRate,
                bouncePauseRate,
                complaintReviewRate,
                complaintPauseRate,
                length,
                minimumSends,
                sharedPoolReviewSendRate);
    }

    public ReputationPolicy withBounceRates(double review, double pause) {
        return new ReputationPolicy(
                review, pause, complaintReviewRate, complaintPauseRate, window, minimumSends, sharedPoolReviewSendRate);
    }

    public ReputationPolicy withComplaintRates(double review, double pause) {
        return new ReputationPolicy(
                bounceReviewRate, bouncePauseRate, review, pause, window, minimumSends, sharedPoolReviewSendRate);
    }

    public ReputationPolicy withSharedPoolReviewSendRate(double perSecond) {
        return new ReputationPolicy(
                bounceReviewRate,
                bouncePauseRate,
                complaintReviewRate,
                complaintPauseRate,
                window,
                minimumSends,
                perSecond);
    }
}
