package io.poolmta.reputation;

import io.poolmta.events.EventTap;
import io.poolmta.events.MailEvent;
import io.poolmta.message.Mailbox;
import io.poolmta.pool.PoolNames;
import io.poolmta.provider.ProviderTable;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The reputation counters: every published event adds, per recipient, one to a {@link Metric} of
 * its {@link CounterKey} cell in the hour and the day it happened (the event's timestamp). Held in
 * memory; {@link #flush()} writes the cells changed since the last flush to the
 * {@link ReputationStore} in one batch, {@link #load()} reads them back at start, and
 * {@link #prune()} drops hours older than the hourly retention and days older than the daily
 * retention, from memory and the store. Per {@link Scope} it also keeps hourly sums, so that a
 * rate over a window is one look-up per hour.
 * <p>
 * In a cluster each node counts the events it published and stores only those cells; at every
 * flush it also reads the cells the other nodes wrote since shortly before its last read and adds
 * what changed, so its counters, and the enforcement on them, are cluster-wide within about two
 * flush periods. Node clocks must agree within {@link #CLOCK_SKEW}. A node alone ({@code shared}
 * false: the embedded database) reads the others' cells at {@link #load()} only.
 * <p>
 * The query side, for the API and for other parts of the server: {@link #total},
 * {@link #series} and {@link #rows}, each over buckets of one granularity that start in
 * [from, to). Thread-safe: observe runs on the publishing threads, queries anywhere.
 */
public final class ReputationCounters implements EventTap {
    public static final Duration DEFAULT_HOURLY_RETENTION = Duration.ofDays(14);
    public static final Duration DEFAULT_DAILY_RETENTION = Duration.ofDays(90);
    private static final int METRICS = Metric.values().length;
    private static final int MAX_CACHED_DOMAINS = 100_000;

    /** How far apart node clocks may be: each read of the others' cells reaches back this much. */
    public static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

    private record Cell(Granularity granularity, Instant start, CounterKey key) {}

    private record NodeCell(String node, Cell cell) {}

    private final ProviderTable providers;
    private final ReputationStore store;
    private final Clock clock;
    private final Duration hourlyRetention;
    private final Duration dailyRetention;
    private final boolean shared;
    private final Map<Granularity, ConcurrentSkipListMap<Instant, ConcurrentHashMap<CounterKey, AtomicLongArray>>>
            buckets = new EnumMap<>(Granularity.class);
    private final ConcurrentHashMap<Scope, ConcurrentSkipListMap<Instant, AtomicLongArray>> scopes =
            new ConcurrentHashMap<>();
    private final Set<Cell> dirty = ConcurrentHashMap.newKeySet();
    /** This node's own part of each cell it counted: what it stores. */
    private final ConcurrentHashMap<Cell, AtomicLongArray> own = new ConcurrentHashMap<>();
    /** The other nodes' cells as last read; only the flushing thread reads and writes it. */
    private final Map<NodeCell, long[]> others = new HashMap<>();
    /** When the last read of the others' cells began, by this node's clock. */
    private Instant lastRead = Instant.EPOCH;

    private final Map<String, String> providerOfDomain = new ConcurrentHashMap<>();

    public ReputationCounters(
            ProviderTable providers,
            ReputationStore store,
            Clock clock,
            Duration hourlyRetention,
            Duration dailyRetention,
            boolean shared) {
        this.providers = providers;
        this.store = store;
        this.clock = clock;
        this.hourlyRetention = hourlyRetention;
        this.dailyRetention = dailyRetention;
        this.shared = shared;
        for (Granularity g : Granularity.values()) {
            buckets.put(g, new ConcurrentSkipListMap<>());
        }
    }

    /** Reads the retained buckets from the store (at start, before events flow). */
    public void load() {
        Instant now = clock.instant();
        for (Granularity g : Granularity.values()) {
            Instant since = cutoff(g, now);
            for (CounterRow row : store.counters(g, since)) {
                long[] values = row.counts().toArray();
                add(g, row.start(), row.key(), values, false);
                own.put(new Cell(g, row.start(), row.key()), new AtomicLongArray(values));
            }
            synchronized (others) {
                for (ReputationStore.NodeRow other : store.othersCounters(g, since)) {
                    merge(other);
                }
            }
        }
        lastRead = now;
    }

    private Instant cutoff(Granularity g, Instant now) {
        return g.start(now.minus(g == Granularity.HOUR ? hourlyRetention : dailyRetention));
    }

    /** Adds what changed in another node's cell since it was last read. */
    private void merge(ReputationStore.NodeRow other) {
        CounterRow row = other.row();
        Cell cell = new Cell(row.granularity(), row.start(), row.key());
        long[] now = row.counts().toArray();
        long[] before = others.put(new NodeCell(other.node(), cell), now);
        long[] delta = now.clone();
        if (before != null) {
            for (int i = 0; i < METRICS; i++) {
                delta[i] -= before[i];
            }
        }
        add(cell.granularity(), cell.start(), cell.key(), delta, false);
    }

    @Override
    public void observe(MailEvent event) {
        Optional<Metric> metric = metricOf(event);
        if (metric.isEmpty() || event.recipients().isEmpty()) {
            return;
        }
        String identity = identityOf(event);
        String set = event.envelope().configurationSet().orElse("");
        String ip = event.outgoingIp().orElse("");
        Map<CounterKey, Integer> keys = new HashMap<>();
        for (String recipient : event.recipients()) {
            String provider = providerOf(recipient);
            keys.merge(
                    new CounterKey(event.envelope().accountId(), set, event.poolName(), ip, provider, identity),
                    1,
                    Integer::sum);
        }
        long[] delta = new long[METRICS];
        for (Map.Entry<CounterKey, Integer> e : keys.entrySet()) {
            delta[metric.get().ordinal()] = e.getValue();
            for (Granularity g : Granularity.values()) {
                add(g, g.start(event.timestamp()), e.getKey(), delta, true);
            }
        }
    }

    /**
     * Writes this node's cells changed since the last flush, then, in a cluster, adds what the
     * other nodes wrote since shortly before the last read; returns how many cells it wrote.
     */
    public int flush() {
        int written = writeOwn();
        if (shared) {
            readOthers();
        }
        return written;
    }

    private void readOthers() {
        Instant now = clock.instant();
        synchronized (others) {
            Instant hourCutoff = cutoff(Granularity.HOUR, now);
            Instant dayCutoff = cutoff(Granularity.DAY, now);
            for (ReputationStore.NodeRow other : store.othersChangedSince(lastRead.minus(CLOCK_SKEW))) {
                CounterRow row = other.row();
                if (!row.start().isBefore(row.granularity() == Granularity.HOUR ? hourCutoff : dayCutoff)) {
                    merge(other);
                }
            }
            lastRead = now;
        }
    }

    private int writeOwn() {
        List<CounterRow> rows = new ArrayList<>();
        for (Cell cell : List.copyOf(dirty)) {
            dirty.remove(cell);
            AtomicLongArray values = own.get(cell);
            if (values != null) {
                rows.add(new CounterRow(cell.granularity(), cell.start(), cell.key(), snapshot(values)));
            }
        }
        if (!rows.isEmpty()) {
            try {
                store.saveCounters(rows);
            } catch (RuntimeException e) {
                rows.forEach(r -> dirty.add(new Cell(r.granularity(), r.start(), r.key())));
                throw e;
            }
        }
        return rows.size();
    }

    /** Drops buckets past their retention, in memory and in the store. */
    public void prune() {
        Instant now = clock.instant();
        Instant hourCutoff = Granularity.HOUR.start(now.minus(hourlyRetention));
        Instant dayCutoff = Granularity.DAY.start(now.minus(dailyRetention));
        buckets.get(Granularity.HOUR).headMap(hourCutoff).clear();
        buckets.get(Granularity.DAY).headMap(dayCutoff).clear();
        scopes.values().forEach(hours -> hours.headMap(hourCutoff).clear());
        dirty.removeIf(c -> c.start().isBefore(c.granularity() == Granularity.HOUR ? hourCutoff : dayCutoff));
        own.keySet().removeIf(c -> c.start().isBefore(c.granularity() == Granularity.HOUR ? hourCutoff : dayCutoff));
        synchronized (others) {
            others.keySet()
                    .removeIf(n -> n.cell()
                            .start()
                            .isBefore(n.cell().granularity() == Granularity.HOUR ? hourCutoff : dayCutoff));
        }
        store.deleteCountersBefore(Granularity.HOUR, hourCutoff);
        store.deleteCountersBefore(Granularity.DAY, dayCutoff);
    }

    /** The sum over the cells the filter matches, in buckets that start in [from, to). */
    public Counts total(CounterFilter filter, Granularity granularity, Instant from, Instant to) {
        Counts sum = Counts.ZERO;
        for (Counts c : series(filter, granularity, from, to).values()) {
            sum = sum.plus(c);
        }
        return sum;
    }

    /** Per bucket start in [from, to) that has a matching cell, the sum over the matching cells. */
    public SortedMap<Instant, Counts> series(CounterFilter filter, Granularity granularity, Instant from, Instant to) {
        SortedMap<Instant, Counts> out = new TreeMap<>();
        for (CounterRow row : rows(granularity, from, to)) {
            if (filter.matches(row.key())) {
                out.merge(row.start(), row.counts(), Counts::plus);
            }
        }
        return out;
    }

    /** Every cell of every bucket that starts in [from, to): the raw data, to group as one likes. */
    public List<CounterRow> rows(Granularity granularity, Instant from, Instant to) {
        List<CounterRow> out = new ArrayList<>();
        if (!from.isBefore(to)) {
            return out;
        }
        for (var bucket : buckets.get(granularity).subMap(from, to).entrySet()) {
            for (var cell : bucket.getValue().entrySet()) {
                out.add(new CounterRow(granularity, bucket.getKey(), cell.getKey(), snapshot(cell.getValue())));
            }
        }
        return out;
    }

    /** The scope's sums over the hours that start in [from, to). */
    public Counts scopeTotal(Scope scope, Instant from, Instant to) {
        ConcurrentSkipListMap<Instant, AtomicLongArray> hours = scopes.get(scope);
        if (hours == null || !from.isBefore(to)) {
            return Counts.ZERO;
        }
        long[] sum = new long[METRICS];
        for (AtomicLongArray values : hours.subMap(from, to).values()) {
            for (int i = 0; i < METRICS; i++) {
                sum[i] += values.get(i);
            }
        }
        return Counts.of(sum);
    }

    /** The hours kept (the limit of an enforcement window). */
    public Duration hourlyRetention() {
        return hourlyRetention;
    }

    private void add(Granularity g, Instant start, CounterKey key, long[] delta, boolean markDirty) {
        AtomicLongArray values = buckets.get(g)
                .computeIfAbsent(start, s -> new ConcurrentHashMap<>())
                .computeIfAbsent(key, k -> new AtomicLongArray(METRICS));
        addTo(values, delta);
        if (markDirty) {
            Cell cell = new Cell(g, start, key);
            addTo(own.computeIfAbsent(cell, c -> new AtomicLongArray(METRICS)), delta);
            dirty.add(cell);
        }
        if (g == Granularity.HOUR) {
            for (Scope scope : scopesOf(key)) {
                addTo(
                        scopes.computeIfAbsent(scope, s -> new ConcurrentSkipListMap<>())
                                .computeIfAbsent(start, s -> new AtomicLongArray(METRICS)),
                        delta);
            }
        }
    }

    private static List<Scope> scopesOf(CounterKey key) {
        List<Scope> out = new ArrayList<>(3);
        out.add(Scope.account(key.accountId()));
        if (!key.configurationSet().isEmpty()) {
            out.add(Scope.configurationSet(key.accountId(), key.configurationSet()));
        }
        if (PoolNames.SHARED_POOL.equals(key.pool())) {
            out.add(Scope.sharedPool(key.accountId()));
        }
        return out;
    }

    private static void addTo(AtomicLongArray values, long[] delta) {
        for (int i = 0; i < METRICS; i++) {
            if (delta[i] != 0) {
                values.addAndGet(i, delta[i]);
            }
        }
    }

    private static Counts snapshot(AtomicLongArray values) {
        long[] out = new long[METRICS];
        for (int i = 0; i < METRICS; i++) {
            out[i] = values.get(i);
        }
        return Counts.of(out);
    }

    private String providerOf(String recipient) {
        String domain = Mailbox.domainOf(recipient).orElse("").toLowerCase(Locale.ROOT);
        if (providerOfDomain.size() > MAX_CACHED_DOMAINS) {
            providerOfDomain.clear();
        }
        return providerOfDomain.computeIfAbsent(domain, d -> providers.classify(d, List.of()));
    }

    private static String identityOf(MailEvent event) {
        return event.headers()
                .common()
                .fromDomain()
                .or(() -> Mailbox.domainOf(event.envelope().mailFrom()))
                .orElse("")
                .toLowerCase(Locale.ROOT);
    }

    static Optional<Metric> metricOf(MailEvent event) {
        return switch (event.type()) {
            case SEND -> Optional.of(Metric.SENT);
            case DELIVERY -> Optional.of(Metric.DELIVERED);
            case DELIVERY_DELAY -> Optional.of(Metric.DELAYED);
            case COMPLAINT -> Optional.of(Metric.COMPLAINED);
            case BOUNCE -> {
                if (!(event.detail() instanceof MailEvent.Bounce b)) {
                    yield Optional.empty();
                }
                if ("Suppressed".equals(b.bounceSubType()) || "OnAccountSuppressionList".equals(b.bounceSubType())) {
                    yield Optional.of(Metric.SUPPRESSED);
                }
                yield Optional.of(
                        "Permanent".equals(b.bounceType()) ? Metric.BOUNCED_PERMANENT : Metric.BOUNCED_TRANSIENT);
            }
            default -> Optional.empty();
        };
    }
}
