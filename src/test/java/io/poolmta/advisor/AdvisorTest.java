package io.poolmta.advisor;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.warmup.WarmupPlan;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The advisor's rules on volumes made up for the purpose, with the default thresholds. */
class AdvisorTest {
    private static final long TODAY = 20_000;
    private static final Advisor.AccountRef ACME = new Advisor.AccountRef("a1", "acme");
    private static final Advisor.DedicatedIp IP = new Advisor.DedicatedIp("192.0.2.1", "a1", "news");
    private final Advisor advisor =
            new Advisor(AdvisorSettings.DEFAULT, WarmupPlan.standard().dailyCaps());

    @Test
    void highSteadyVolumeIsDedicatedWithTheIpsItNeedsAtTheWarmupCaps() {
        List<DailyVolume> rows = new ArrayList<>();
        for (long d = TODAY - 30; d < TODAY; d++) {
            rows.add(volume(d, "", "news", "192.0.2.1", "google", 120_000));
        }

        AccountAdvice advice = advise(rows);

        assertThat(advice.recommendation()).isEqualTo(Recommendation.DEDICATED);
        assertThat(advice.stats().mean()).isEqualTo(120_000.0);
        IpPlan plan = advice.ipPlan().orElseThrow();
        assertThat(plan.needed()).as("120,000 a day at 50,000 an IP").isEqualTo(3);
        assertThat(plan.keptWarm()).isEqualTo(120);
        assertThat(plan.warmupDays())
                .as("the first plan day whose cap times 3 reaches 120,000")
                .isEqualTo(firstDayCarrying(3, 120_000));
        assertThat(advice.reasons())
                .anySatisfy(r -> assertThat(r).contains("1 dedicated IP(s) leased now, 3 suggested"));
    }

    @Test
    void aFewHundredOnceAMonthKeepsAProviderWarmAndLessIsCooling() {
        List<DailyVolume> rows = List.of(
                volume(TODAY - 12, "", "news", "192.0.2.1", "google", 299),
                volume(TODAY - 11, "", "news", "192.0.2.1", "google", 150),
                volume(TODAY - 3, "", "news", "192.0.2.1", "yahoo", 300));

        AccountAdvice advice = advise(rows);

        IpProviderAdvice google = ip(advice, "google");
        assertThat(google.cooling()).isTrue();
        assertThat(google.maxInADay()).isEqualTo(299);
        assertThat(google.reason())
                .isEqualTo("192.0.2.1 is cooling for google: at most 299 in one day in the last 30 days and today"
                        + " (449 in all on 2 day(s)), never the 300 a day a provider needs at least once a month"
                        + " to keep its reputation");
        IpProviderAdvice yahoo = ip(advice, "yahoo");
        assertThat(yahoo.cooling()).isFalse();
        assertThat(yahoo.lastDayAtThreshold()).hasValue(TODAY - 3);
        assertThat(advice.recommendation()).as("749 in 30 days").isEqualTo(Recommendation.SHARED_POOL);
    }

    @Test
    void aSetWithItsOwnPoolNeedsNoIsolation() {
        List<DailyVolume> rows = new ArrayList<>();
        for (long d = TODAY - 30; d < TODAY; d++) {
            rows.add(volume(d, "transactional", "tx", "192.0.2.1", "google", 2_000));
            rows.add(new DailyVolume(d, "a1", "marketing", "news", "192.0.2.2", "google", 1_000, 100, 0));
        }

        AccountAdvice advice = advise(rows);

        assertThat(advice.sets()).extracting(SetAdvice::name).containsExactly("marketing", "transactional");
        assertThat(advice.sets().getFirst().bounceRate()).isEqualTo(0.1);
        assertThat(advice.sets()).noneMatch(SetAdvice::isolate);
    }

    private AccountAdvice advise(List<DailyVolume> rows) {
        return advisor.advise(TODAY, rows, List.of(ACME), List.of(IP), List.of("google", "microsoft", "yahoo"))
                .accounts()
                .getFirst();
    }

    private static IpProviderAdvice ip(AccountAdvice advice, String provider) {
        return advice.ipProviders().stream()
                .filter(p -> p.provider().equals(provider))
                .findFirst()
                .orElseThrow();
    }

    private static int firstDayCarrying(int ips, long volume) {
        List<Long> caps = WarmupPlan.standard().dailyCaps();
        for (int d = 0; d < caps.size(); d++) {
            if (caps.get(d) * ips >= volume) {
                return d + 1;
            }
        }
        return caps.size();
    }

    private static DailyVolume volume(long day, String set, String pool, String ip, String provider, long sent) {
        return new DailyVolume(day, "a1", set, pool, ip, provider, sent, 0, 0);
    }
}
