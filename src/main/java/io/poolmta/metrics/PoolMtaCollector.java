package io.poolmta.metrics;

import io.poolmta.account.Account;
import io.poolmta.account.AccountService;
import io.poolmta.delivery.AdaptiveThrottle;
import io.poolmta.delivery.DeliveryEngine;
import io.poolmta.egress.SendVolume;
import io.poolmta.ip.IpRole;
import io.poolmta.ip.IpStore;
import io.poolmta.ip.SendingIp;
import io.poolmta.managed.ProviderWarmupLedger;
import io.poolmta.managed.ProviderWarmupView;
import io.poolmta.pool.PoolNames;
import io.poolmta.pool.PoolStore;
import io.poolmta.pool.ScalingMode;
import io.poolmta.warmup.WarmupPlan;
import io.poolmta.warmup.WarmupProgress;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.function.LongSupplier;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds every PoolMTA metric at scrape time from the live objects: nothing is counted for the
 * metrics on the delivery path beyond {@link TrafficCounters}, and a scrape reads the IP table and
 * the warm-up positions once. The names and labels are listed in the README ("Metrics").
 */
public final class PoolMtaCollector implements MultiCollector {
    private static final Logger LOG = LoggerFactory.getLogger(PoolMtaCollector.class);
    static final List<String> ENFORCEMENT_STATES = List.of("HEALTHY", "PROBATION", "SHUTDOWN");

    /** The live objects a scrape reads. */
    public record Sources(
            DeliveryEngine engine,
            LongSupplier spoolPending,
            Path spoolDirectory,
            TrafficCounters traffic,
            IpStore ips,
            PoolStore pools,
            AccountService accounts,
            WarmupPlan plan,
            SendVolume volume,
            ProviderWarmupLedger providerWarmup,
            EnforcementSource enforcement,
            Clock clock) {}

    private final Sources s;

    public PoolMtaCollector(Sources sources) {
        this.s = sources;
    }

    @Override
    public MetricSnapshots collect() {
        MetricSnapshots.Builder out = MetricSnapshots.builder();
        out.metricSnapshot(
                gauge("poolmta_queue_depth", "Delivery tasks (message x destination domain) waiting to be sent")
                        .dataPoint(point(Labels.EMPTY, s.engine().queued()))
                        .build());
        out.metricSnapshot(gauge("poolmta_spool_messages", "Accepted messages in the spool not yet finished")
                .dataPoint(point(Labels.EMPTY, s.spoolPending().getAsLong()))
                .build());
        out.metricSnapshot(gauge("poolmta_spool_bytes", "Bytes of the spool's files on disk")
                .dataPoint(point(Labels.EMPTY, directoryBytes(s.spoolDirectory())))
                .build());
        counter(out, TrafficCounters.Outcome.ACCEPTED, "poolmta_recipients_accepted", "Recipients accepted");
        counter(out, TrafficCounters.Outcome.DELIVERED, "poolmta_recipients_delivered", "Recipients delivered");
        counter(out, TrafficCounters.Outcome.BOUNCED, "poolmta_recipients_bounced", "Recipients bounced");
        counter(
                out,
                TrafficCounters.Outcome.DEFERRED,
                "poolmta_recipients_deferred",
                "Recipients deferred, once per temporary failure,");
        throttles(out);
        warmup(out);
        enforcement(out);
        return out.build();
    }

    private void counter(MetricSnapshots.Builder out, TrafficCounters.Outcome outcome, String name, String help) {
        boolean typed = outcome == TrafficCounters.Outcome.BOUNCED;
        CounterSnapshot.Builder c = CounterSnapshot.builder()
                .name(name)
                .help(help + " since start by pool, sending IP and mailbox provider"
                        + (typed ? " and bounce type" : ""));
        for (TrafficCounters.Count count : s.traffic().counts(outcome)) {
            TrafficCounters.Key k = count.key();
            Labels labels = typed
                    ? Labels.of("pool", k.pool(), "ip", k.ip(), "provider", k.provider(), "type", k.bounceType())
                    : Labels.of("pool", k.pool(), "ip", k.ip(), "provider", k.provider());
            c.dataPoint(CounterDataPointSnapshot.builder()
                    .labels(labels)
                    .value(count.value())
                    .build());
        }
        out.metricSnapshot(c.build());
    }

    private void throttles(MetricSnapshots.Builder out) {
        Instant now = s.clock().instant();
        GaugeSnapshot.Builder limit = gauge(
                "poolmta_throttle_connection_limit",
                "Connections a sending IP may hold to a mailbox provider now (adaptive throttle)");
        GaugeSnapshot.Builder max =
                gauge("poolmta_throttle_max_connections", "The provider's connection limit per sending IP");
        GaugeSnapshot.Builder paused = gauge(
                "poolmta_throttle_paused_seconds",
                "Seconds until sending from the IP to the provider resumes after throttling (0: not paused)");
        CounterSnapshot.Builder throttles = CounterSnapshot.builder()
                .name("poolmta_throttles")
                .help("Throttling replies or refused connections from the provider to the IP since start");
        for (AdaptiveThrottle.Snapshot t : s.engine().throttles()) {
            Labels labels = Labels.of("ip", t.sourceIp(), "provider", t.provider(), "site", t.site());
            limit.dataPoint(point(labels, t.connectionLimit()));
            max.dataPoint(point(labels, t.maxConnections()));
            paused.dataPoint(point(
                    labels,
                    t.pausedUntil()
                            .map(p -> Math.max(0, Duration.between(now, p).toMillis()) / 1000.0)
                            .orElse(0.0)));
            throttles.dataPoint(CounterDataPointSnapshot.builder()
                    .labels(labels)
                    .value(t.throttles())
                    .build());
        }
        out.metricSnapshot(limit.build());
        out.metricSnapshot(max.build());
        out.metricSnapshot(paused.build());
        out.metricSnapshot(throttles.build());
    }

    private void warmup(MetricSnapshots.Builder out) {
        Instant now = s.clock().instant();
        GaugeSnapshot.Builder percent =
                gauge("poolmta_warmup_percent", "Position of a standard dedicated IP on the warm-up plan (100: done)");
        GaugeSnapshot.Builder cap = gauge(
                "poolmta_warmup_daily_cap", "Messages a warming standard dedicated IP may send in its current day");
        GaugeSnapshot.Builder sent = gauge(
                "poolmta_warmup_sent_today", "Messages a warming standard dedicated IP has sent in its current day");
        GaugeSnapshot.Builder level = gauge(
                "poolmta_warmup_provider_level", "Warm-up day level of a managed-pool IP towards a mailbox provider");
        GaugeSnapshot.Builder providerCap = gauge(
                "poolmta_warmup_provider_daily_cap",
                "Messages a managed-pool IP may send to the provider today (absent: warm, no cap)");
        GaugeSnapshot.Builder providerSent = gauge(
                "poolmta_warmup_provider_sent_today", "Messages a managed-pool IP has sent to the provider today");
        Map<String, String> names = new HashMap<>();
        for (SendingIp ip : s.ips().all()) {
            if (ip.role() != IpRole.DEDICATED) {
                continue;
            }
            String accountId = ip.accountId().orElseThrow();
            String pool = ip.poolName().orElse(PoolNames.DEFAULT_POOL);
            String account =
                    names.computeIfAbsent(accountId, id -> s.accounts().get(id).name());
            String address = ip.address().text();
            boolean managed = ip.poolName()
                    .flatMap(p -> s.pools().get(accountId, p))
                    .map(p -> p.scalingMode() == ScalingMode.MANAGED)
                    .orElse(false);
            if (managed) {
                for (ProviderWarmupView v : s.providerWarmup().report(address)) {
                    Labels labels =
                            Labels.of("ip", address, "account", account, "pool", pool, "provider", v.provider());
                    level.dataPoint(point(labels, v.level()));
                    v.dailyCap().ifPresent(c -> providerCap.dataPoint(point(labels, c)));
                    providerSent.dataPoint(point(labels, v.sentToday()));
                }
                continue;
            }
            Labels labels = Labels.of("ip", address, "account", account, "pool", pool);
            WarmupProgress progress = s.plan().progress(ip.warmup(), now);
            percent.dataPoint(point(labels, progress.percentage()));
            OptionalLong dailyCap = s.plan().dailyCap(ip.warmup(), now);
            if (dailyCap.isPresent()) {
                cap.dataPoint(point(labels, dailyCap.getAsLong()));
                Instant window = s.plan().dayEnds(ip.warmup(), now).minus(Duration.ofDays(1));
                sent.dataPoint(point(labels, s.volume().get(address, window)));
            }
        }
        out.metricSnapshot(percent.build());
        out.metricSnapshot(cap.build());
        out.metricSnapshot(sent.build());
        out.metricSnapshot(level.build());
        out.metricSnapshot(providerCap.build());
        out.metricSnapshot(providerSent.build());
    }

    private void enforcement(MetricSnapshots.Builder out) {
        GaugeSnapshot.Builder g = gauge(
                "poolmta_account_enforcement", "1 for the account's current SES enforcement status, 0 for the others");
        for (Account a : s.accounts().all()) {
            String status = s.enforcement().status(a.id());
            for (String state : ENFORCEMENT_STATES) {
                g.dataPoint(point(Labels.of("account", a.name(), "status", state), state.equals(status) ? 1 : 0));
            }
        }
        out.metricSnapshot(g.build());
    }

    private static GaugeSnapshot.Builder gauge(String name, String help) {
        return GaugeSnapshot.builder().name(name).help(help);
    }

    private static GaugeDataPointSnapshot point(Labels labels, double value) {
        return GaugeDataPointSnapshot.builder().labels(labels).value(value).build();
    }

    private static long directoryBytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            return 0; // removed while walking
                        }
                    })
                    .sum();
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not measure the spool directory {}: {}", dir, e.toString());
            return 0;
        }
    }
}
