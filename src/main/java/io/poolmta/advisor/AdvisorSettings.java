package io.poolmta.advisor;

/**
 * The advisor's thresholds, with the rules of thumb as defaults.
 *
 * @param days the window: the last {@code days} complete UTC days (30)
 * @param dailyThreshold "several hundred emails within a 24-hour period at least once" a month,
 *     per IP and provider, or the IP is cooling for that provider (300)
 * @param minDailyVolume an account's mean daily volume below which the shared pool serves it
 *     better: a dedicated IP needs a few hundred a day at each big provider (1,000)
 * @param maxVariation the coefficient of variation of daily volumes above which sending is
 *     irregular (0.5)
 * @param bounceRateFlag a configuration set's permanent-bounce rate from which it drags the others
 *     (0.05, SES's review threshold)
 * @param complaintRateFlag the same for complaints (0.001, SES's review threshold)
 * @param minSetVolume the sends a configuration set needs in the window for its rates to count (100)
 */
public record AdvisorSettings(
        int days,
        long dailyThreshold,
        long minDailyVolume,
        double maxVariation,
        double bounceRateFlag,
        double complaintRateFlag,
        long minSetVolume) {
    public static final AdvisorSettings DEFAULT = new AdvisorSettings(30, 300, 1000, 0.5, 0.05, 0.001, 100);

    public AdvisorSettings {
        if (days < 1 || days > DailyVolumeLedger.RETENTION_DAYS - 1) {
            throw new IllegalArgumentException(
                    "the advisor's window is 1 to " + (DailyVolumeLedger.RETENTION_DAYS - 1) + " days");
        }
        if (dailyThreshold < 1 || minDailyVolume < 1 || minSetVolume < 1) {
            throw new IllegalArgumentException("the advisor's volume thresholds are at least 1");
        }
        if (maxVariation <= 0 || bounceRateFlag <= 0 || complaintRateFlag <= 0) {
            throw new IllegalArgumentException("the advisor's variation and rate thresholds are positive");
        }
    }

    public AdvisorSettings withDays(int value) {
        return new AdvisorSettings(
                value, dailyThreshold, minDailyVolume, maxVariation, bounceRateFlag, complaintRateFlag, minSetVolume);
    }

    public AdvisorSettings withDailyThreshold(long value) {
        return new AdvisorSettings(
                days, value, minDailyVolume, maxVariation, bounceRateFlag, complaintRateFlag, minSetVolume);
    }

    public AdvisorSettings withMinDailyVolume(long value) {
        return new AdvisorSettings(
                days, dailyThreshold, value, maxVariation, bounceRateFlag, complaintRateFlag, minSetVolume);
    }

    public AdvisorSettings withMaxVariation(double value) {
        return new AdvisorSettings(
                days, dailyThreshold, minDailyVolume, value, bounceRateFlag, complaintRateFlag, minSetVolume);
    }

    public AdvisorSettings withMinSetVolume(long value) {
        return new AdvisorSettings(
                days, dailyThreshold, minDailyVolume, maxVariation, bounceRateFlag, complaintRateFlag, value);
    }
}
