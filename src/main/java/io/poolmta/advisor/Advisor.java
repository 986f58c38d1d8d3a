package io.poolmta.advisor;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * The rules of thumb for shared or dedicated sending, as a report (pure: no clock, no store).
 * <ul>
 *   <li>Per dedicated IP × mailbox provider: reputation needs "several hundred emails within a
 *       24-hour period at least once" a month. An IP that never sent {@code dailyThreshold} to a
 *       provider in one UTC day of the window (or today) is cooling for it.</li>
 *   <li>Per account: daily volumes over the window's complete days. A mean below
 *       {@code minDailyVolume} or a coefficient of variation above {@code maxVariation} → the
 *       shared pool; otherwise dedicated, with the IPs the volume calls for at the warm-up plan's
 *       caps ({@link IpPlan}).</li>
 *   <li>Per configuration set: one whose permanent-bounce or complaint rate reaches the flag while
 *       the account's other sets stay under it, and which shares its pool with them, should be
 *       isolated in a pool of its own (isolate by email type).</li>
 * </ul>
 * Every reason names the figures it rests on.
 */
public final class Advisor {
    /** An account to advise. */
    public record AccountRef(String id, String name) {}

    /** A dedicated IP of an account, in {@code pool}. */
    public record DedicatedIp(String address, String accountId, String pool) {}

    private final AdvisorSettings settings;
    private final List<Long> planCaps;

    /** @param planCaps the warm-up plan's daily caps, day 1 first (the last is a warm IP's cap) */
    public Advisor(AdvisorSettings settings, List<Long> planCaps) {
        if (planCaps.isEmpty()) {
            throw new IllegalArgumentException("at least one warm-up cap");
        }
        this.settings = settings;
        this.planCaps = List.copyOf(planCaps);
    }

    /**
     * @param today the current UTC epoch day; the window is the {@code days} days before it
     * @param rows daily volumes from the window's first day on (today's included)
     * @param providers the mailbox providers each dedicated IP is judged against
     */
    public AdvisorReport advise(
            long today,
            List<DailyVolume> rows,
            List<AccountRef> accounts,
            List<DedicatedIp> ips,
            List<String> providers) {
        long first = today - settings.days();
        List<AccountAdvice> out = new ArrayList<>();
        for (AccountRef account : accounts) {
            List<DailyVolume> own = rows.stream()
                    .filter(r -> r.accountId().equals(account.id()) && r.day() >= first && r.day() <= today)
                    .toList();
            List<DedicatedIp> ownIps = ips.stream()
                    .filter(ip -> ip.accountId().equals(account.id()))
                    .toList();
            out.add(account(account, own, ownIps, providers, first, today));
        }
        return new AdvisorReport(first, today - 1, settings, out);
    }

    private AccountAdvice account(
            AccountRef account,
            List<DailyVolume> rows,
            List<DedicatedIp> ips,
            List<String> providers,
            long first,
            long today) {
        long[] perDay = new long[settings.days()];
        for (DailyVolume r : rows) {
            if (r.day() < today) {
                perDay[(int) (r.day() - first)] += r.sent();
            }
        }
        List<Long> daily = new ArrayList<>();
        for (long v : perDay) {
            daily.add(v);
        }
        VolumeStats stats = VolumeStats.of(daily);
        List<String> reasons = new ArrayList<>();
        Recommendation recommendation;
        Optional<IpPlan> plan = Optional.empty();
        String figures = String.format(
                Locale.ROOT,
                "%d sent over the last %d days: %.1f a day on average, standard deviation %.1f,"
                        + " coefficient of variation %.2f, busiest day %d, %d day(s) with mail",
                stats.total(),
                settings.days(),
                stats.mean(),
                stats.stdDev(),
                stats.variation(),
                stats.max(),
                stats.activeDays());
        if (stats.total() == 0) {
            recommendation = Recommendation.NO_TRAFFIC;
            reasons.add("nothing was sent in the last " + settings.days() + " days: nothing to judge");
        } else {
            boolean low = stats.mean() < settings.minDailyVolume();
            boolean irregular = stats.variation() > settings.maxVariation();
            if (low || irregular) {
                recommendation = Recommendation.SHARED_POOL;
                if (low) {
                    reasons.add(String.format(
                            Locale.ROOT,
                            "low volume: %.1f a day on average, below %d; dedicated IPs would not get the several"
                                    + " hundred a day per mailbox provider their reputation needs, the shared pool's"
                                    + " reputation serves this account better (%s)",
                            stats.mean(),
                            settings.minDailyVolume(),
                            figures));
                }
                if (irregular) {
                    reasons.add(String.format(
                            Locale.ROOT,
                            "irregular volume: coefficient of variation %.2f, above %.2f; mailbox providers distrust"
                                    + " dedicated IPs whose volume jumps, the shared pool absorbs the swings (%s)",
                            stats.variation(),
                            settings.maxVariation(),
                            figures));
                }
                if (!ips.isEmpty()) {
                    reasons.add(ips.size() + " dedicated IP(s) leased now: consider sending through ses-shared-pool");
                }
            } else {
                recommendation = Recommendation.DEDICATED;
                IpPlan p = ipPlan(stats);
                plan = Optional.of(p);
                reasons.add(String.format(
                        Locale.ROOT, "high and steady volume (%s): dedicated IPs keep their own reputation", figures));
                reasons.add(String.format(
                        Locale.ROOT,
                        "%d IP(s): the busiest day (%d) fits %d fully warmed IP(s) at the plan's final cap of %d a"
                                + " day each; from plan day %d the %d warming IP(s) carry the mean day (%.1f); the"
                                + " mean day keeps at most %d IP(s) at %d a day each",
                        p.needed(),
                        stats.max(),
                        p.needed(),
                        p.finalDailyCap(),
                        p.warmupDays(),
                        p.needed(),
                        stats.mean(),
                        p.keptWarm(),
                        settings.minDailyVolume()));
                if (ips.size() > p.keptWarm()) {
                    reasons.add(String.format(
                            Locale.ROOT,
                            "%d dedicated IPs leased now, more than the volume keeps warm: %.1f a day each on average",
                            ips.size(),
                            stats.mean() / ips.size()));
                } else if (ips.size() < p.needed()) {
                    reasons.add(ips.size() + " dedicated IP(s) leased now, " + p.needed() + " suggested");
                }
            }
        }
        List<SetAdvice> sets = sets(rows, today);
        sets.stream().filter(SetAdvice::isolate).forEach(s -> reasons.add(s.reason()));
        List<IpProviderAdvice> ipProviders = ipProviders(rows, ips, providers);
        return new AccountAdvice(
                account.id(),
                account.name(),
                daily,
                stats,
                ips.size(),
                recommendation,
                reasons,
                plan,
                sets,
                ipProviders);
    }

    private IpPlan ipPlan(VolumeStats stats) {
        long finalCap = planCaps.getLast();
        int needed = (int) Math.max(1, Math.ceilDiv(stats.max(), finalCap));
        int keptWarm = (int) Math.max(1, Math.floor(stats.mean() / settings.minDailyVolume()));
        int day = planCaps.size();
        for (int d = 0; d < planCaps.size(); d++) {
            if (planCaps.get(d) * needed >= stats.mean()) {
                day = d + 1;
                break;
            }
        }
        return new IpPlan(needed, keptWarm, finalCap, day);
    }

    private record SetTotals(String name, Map<String, Long> pools, long[] counts) {}

    private List<SetAdvice> sets(List<DailyVolume> rows, long today) {
        Map<String, SetTotals> totals = new TreeMap<>();
        for (DailyVolume r : rows) {
            if (r.day() >= today) {
                continue;
            }
            SetTotals t =
                    totals.computeIfAbsent(r.configurationSet(), n -> new SetTotals(n, new HashMap<>(), new long[3]));
            t.pools().merge(r.pool(), r.sent(), Long::sum);
            t.counts()[0] += r.sent();
            t.counts()[1] += r.bounced();
            t.counts()[2] += r.complained();
        }
        List<SetTotals> counted = totals.values().stream()
                .filter(t -> t.counts()[0] >= settings.minSetVolume())
                .toList();
        List<SetAdvice> out = new ArrayList<>();
        for (SetTotals t : totals.values()) {
            long sent = t.counts()[0];
            long bounced = t.counts()[1];
            long complained = t.counts()[2];
            String pool = mainPool(t);
            String reason = "";
            boolean isolate = false;
            if (counted.contains(t) && counted.size() > 1 && flagged(sent, bounced, complained)) {
                long[] others = new long[3];
                List<String> samePool = new ArrayList<>();
                for (SetTotals o : counted) {
                    if (o != t) {
                        for (int i = 0; i < 3; i++) {
                            others[i] += o.counts()[i];
                        }
                        if (mainPool(o).equals(pool)) {
                            samePool.add(label(o.name()));
                        }
                    }
                }
                if (!flagged(others[0], others[1], others[2]) && !samePool.isEmpty()) {
                    isolate = true;
                    reason = String.format(
                            Locale.ROOT,
                            "isolate by email type: configuration set %s has a bounce rate of %.2f%% (%d of %d) and a"
                                    + " complaint rate of %.3f%% (%d of %d), against %.2f%% (%d of %d) and %.3f%%"
                                    + " (%d of %d) for the account's other sets; it shares pool %s with %s and drags"
                                    + " their reputation: give it a pool of its own",
                            label(t.name()),
                            100.0 * bounced / sent,
                            bounced,
                            sent,
                            100.0 * complained / sent,
                            complained,
                            sent,
                            100.0 * others[1] / others[0],
                            others[1],
                            others[0],
                            100.0 * others[2] / others[0],
                            others[2],
                            others[0],
                            pool,
                            String.join(", ", samePool));
                }
            }
            out.add(new SetAdvice(
                    t.name(),
                    pool,
                    sent,
                    bounced,
                    complained,
                    sent == 0 ? 0 : (double) bounced / sent,
                    sent == 0 ? 0 : (double) complained / sent,
                    isolate,
                    reason));
        }
        return out;
    }

    private boolean flagged(long sent, long bounced, long complained) {
        return sent > 0
                && ((double) bounced / sent >= settings.bounceRateFlag()
                        || (double) complained / sent >= settings.complaintRateFlag());
    }

    private static String mainPool(SetTotals t) {
        return t.pools().entrySet().stream()
                .max(Map.Entry.<String, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey)
                .orElse("");
    }

    private static String label(String set) {
        return set.isEmpty() ? "(none)" : set;
    }

    private List<IpProviderAdvice> ipProviders(List<DailyVolume> rows, List<DedicatedIp> ips, List<String> providers) {
        List<IpProviderAdvice> out = new ArrayList<>();
        for (DedicatedIp ip : ips) {
            Map<String, Map<Long, Long>> byProvider = new HashMap<>();
            for (DailyVolume r : rows) {
                if (r.ip().equals(ip.address())) {
                    byProvider
                            .computeIfAbsent(r.provider(), p -> new HashMap<>())
                            .merge(r.day(), r.sent(), Long::sum);
                }
            }
            List<String> names = new ArrayList<>(providers);
            byProvider.keySet().stream()
                    .filter(p -> !names.contains(p))
                    .sorted()
                    .forEach(names::add);
            for (String provider : names) {
                Map<Long, Long> days = byProvider.getOrDefault(provider, Map.of());
                long total = days.values().stream().mapToLong(Long::longValue).sum();
                long max =
                        days.values().stream().mapToLong(Long::longValue).max().orElse(0);
                List<Long> atThreshold = days.entrySet().stream()
                        .filter(e -> e.getValue() >= settings.dailyThreshold())
                        .map(Map.Entry::getKey)
                        .sorted(Comparator.reverseOrder())
                        .toList();
                boolean cooling = atThreshold.isEmpty();
                String window = "in the last " + settings.days() + " days and today";
                String reason = cooling
                        ? String.format(
                                Locale.ROOT,
                                "%s is cooling for %s: at most %d in one day %s (%d in all on %d day(s)), never the"
                                        + " %d a day a provider needs at least once a month to keep its reputation",
                                ip.address(),
                                provider,
                                max,
                                window,
                                total,
                                days.size(),
                                settings.dailyThreshold())
                        : String.format(
                                Locale.ROOT,
                                "%s keeps its reputation with %s: %d day(s) at %d or more %s, the last on %s"
                                        + " (busiest day %d, %d in all)",
                                ip.address(),
                                provider,
                                atThreshold.size(),
                                settings.dailyThreshold(),
                                window,
                                LocalDate.ofEpochDay(atThreshold.getFirst()),
                                max,
                                total);
                out.add(new IpProviderAdvice(
                        ip.address(),
                        ip.pool(),
                        provider,
                        total,
                        max,
                        atThreshold.size(),
                        cooling ? OptionalLong.empty() : OptionalLong.of(atThreshold.getFirst()),
                        cooling,
                        reason));
            }
        }
        return out;
    }
}
