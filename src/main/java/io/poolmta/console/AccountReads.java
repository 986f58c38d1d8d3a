package io.poolmta.console;

import io.poolmta.common.Page;
import io.poolmta.common.PageRequest;
import io.poolmta.configset.ConfigurationSet;
import io.poolmta.ip.SendingIp;
import io.poolmta.managed.ProviderWarmupView;
import io.poolmta.pool.DedicatedIpPool;
import io.poolmta.pool.DedicatedIpView;
import io.poolmta.pool.PoolNames;
import io.poolmta.warmup.WarmupStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * What an account's pages read, always through the services with the signed-in account's id: its
 * dedicated IPs with their warm-up (status and percentage as GetDedicatedIps reports them; today's
 * count and cap as the admin API's warm-up report computes them), its pools with their IPs and the
 * configuration sets that use them, its configuration sets. Another account's resources are never
 * read: the services answer NotFound for them.
 */
final class AccountReads {
    private static final Duration DAY = Duration.ofDays(1);

    private final ConsoleServices s;
    private final WarmupChart.Scale scale;

    AccountReads(ConsoleServices services) {
        this.s = services;
        this.scale = WarmupChart.Scale.of(services.plan().dailyCaps());
    }

    /** Every dedicated IP of the account, or of one pool, in address order. */
    List<DedicatedIpView> ipViews(String accountId, Optional<String> pool) {
        return all(token -> s.pools().listIps(accountId, pool, page(token)));
    }

    List<String> poolNames(String accountId) {
        return all(token -> s.pools().list(accountId, page(token)));
    }

    List<String> setNames(String accountId) {
        return all(token -> s.sets().list(accountId, Optional.empty(), page(token)));
    }

    Views.DedicatedIps dedicatedIps(String accountId) {
        List<Views.IpRow> rows = ipRows(accountId, Optional.empty());
        int unassigned = (int) rows.stream()
                .filter(r -> r.pool().equals(PoolNames.DEFAULT_POOL))
                .count();
        return new Views.DedicatedIps(rows, poolSummaries(accountId, rows), unassigned);
    }

    List<Views.IpRow> ipRows(String accountId, Optional<String> pool) {
        List<DedicatedIpView> views = ipViews(accountId, pool);
        Map<String, SendingIp> stored = new HashMap<>();
        for (SendingIp ip : s.ips().ofAccount(accountId)) {
            stored.put(ip.address().text(), ip);
        }
        Instant now = s.clock().instant();
        List<Views.IpRow> rows = new ArrayList<>(views.size());
        for (DedicatedIpView view : views) {
            rows.add(row(view, Optional.ofNullable(stored.get(view.ip().text())), now));
        }
        return rows;
    }

    List<Views.PoolSummary> poolSummaries(String accountId, List<Views.IpRow> rows) {
        Map<String, Integer> counts = new HashMap<>();
        for (Views.IpRow row : rows) {
            counts.merge(row.pool(), 1, Integer::sum);
        }
        Map<String, List<String>> users = setsByPool(accountId);
        List<Views.PoolSummary> out = new ArrayList<>();
        for (String name : poolNames(accountId)) {
            DedicatedIpPool pool = s.pools().get(accountId, name);
            out.add(new Views.PoolSummary(
                    pool.name(),
                    pool.scalingMode().name(),
                    counts.getOrDefault(name, 0),
                    users.getOrDefault(name, List.of())));
        }
        return out;
    }

    /** The configuration sets of the account by the pool they send from, read in one pass. */
    private Map<String, List<String>> setsByPool(String accountId) {
        Map<String, List<String>> out = new HashMap<>();
        for (String name : setNames(accountId)) {
            s.sets()
                    .find(accountId, name)
                    .flatMap(set -> set.deliveryOptions().sendingPoolName())
                    .ifPresent(pool ->
                            out.computeIfAbsent(pool, p -> new ArrayList<>()).add(name));
        }
        return out;
    }

    Views.PoolSummary summary(String accountId, DedicatedIpPool pool, int ipCount) {
        return new Views.PoolSummary(
                pool.name(),
                pool.scalingMode().name(),
                ipCount,
                s.poolUsers().configurationSetsUsing(accountId, pool.name()));
    }

    List<Views.SetSummary> sets(String accountId) {
        List<Views.SetSummary> out = new ArrayList<>();
        for (String name : setNames(accountId)) {
            ConfigurationSet set = s.sets().get(accountId, name);
            out.add(new Views.SetSummary(name, sendingPool(set), set.sendingEnabled()));
        }
        return out;
    }

    static String sendingPool(ConfigurationSet set) {
        return set.deliveryOptions().sendingPoolName().orElse(PoolNames.DEFAULT_POOL);
    }

    private Views.IpRow row(DedicatedIpView view, Optional<SendingIp> stored, Instant now) {
        String address = view.ip().text();
        boolean managed = view.warmup().status() == WarmupStatus.NOT_APPLICABLE;
        String percentage = managed ? "—" : view.warmup().percentage() + "%";
        String today = "—";
        Optional<WarmupChart> chart = Optional.empty();
        List<Views.ProviderLevel> providers = List.of();
        if (managed) {
            providers = new ArrayList<>();
            for (ProviderWarmupView p : s.providerWarmup().report(address)) {
                providers.add(new Views.ProviderLevel(
                        p.provider(),
                        p.level(),
                        p.status().name(),
                        p.sentToday()
                                + (p.dailyCap().isPresent()
                                        ? " / " + p.dailyCap().getAsLong()
                                        : "")));
            }
        } else if (stored.isPresent()) {
            SendingIp ip = stored.get();
            OptionalLong cap = s.plan().dailyCap(ip.warmup(), now);
            if (cap.isPresent()) {
                Instant window = s.plan().dayEnds(ip.warmup(), now).minus(DAY);
                long sentToday = s.volume().get(address, window);
                today = sentToday + " / " + cap.getAsLong();
                int day = (int) (Math.max(
                                0,
                                Duration.between(
                                                ip.warmup().anchor(),
                                                ip.warmup().planTime(now))
                                        .toMillis())
                        / DAY.toMillis());
                List<WarmupChart.SentDay> sent = new ArrayList<>();
                if (day > 0) {
                    sent.add(new WarmupChart.SentDay(day - 1, s.volume().get(address, window.minus(DAY))));
                }
                sent.add(new WarmupChart.SentDay(day, sentToday));
                chart = Optional.of(scale.chart(day, sent));
            } else {
                today = "no cap";
            }
        }
        return new Views.IpRow(
                address, view.poolName(), view.warmup().status().name(), percentage, today, managed, providers, chart);
    }

    private static PageRequest page(Optional<String> token) {
        return PageRequest.of(Optional.of(PageRequest.MAX_PAGE_SIZE), token);
    }

    private static <T> List<T> all(Function<Optional<String>, Page<T>> fetch) {
        List<T> out = new ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            Page<T> page = fetch.apply(token);
            out.addAll(page.items());
            token = page.nextToken();
        } while (token.isPresent());
        return out;
    }
}
