package io.poolmta.managed;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live per (IP, provider) warm-up positions of managed IPs. Counting is in memory (it is on the
 * path of every message); the first use of a pair reads its stored position, and {@link #flush()}
 * writes changed ones back, so a restart keeps levels and today's counts. A crash loses at most the
 * counts since the last flush. Days are UTC days of the injected clock.
 */
public final class ProviderWarmupLedger {
    private static final Duration DAY = Duration.ofDays(1);

    private record Key(String address, String provider) {}

    private final ProviderWarmupModel model;
    private final ProviderWarmupStore store;
    private final List<String> providers;
    private final Clock clock;
    private final Map<Key, ProviderLevel> states = new ConcurrentHashMap<>();
    private final Set<Key> dirty = ConcurrentHashMap.newKeySet();

    /** @param providers every provider name reports list (the provider table's names and "other") */
    public ProviderWarmupLedger(
            ProviderWarmupModel model, ProviderWarmupStore store, List<String> providers, Clock clock) {
        this.model = model;
        this.store = store;
        this.providers = List.copyOf(providers);
        this.clock = clock;
    }

    public ProviderWarmupModel model() {
        return model;
    }

    public static long day(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), DAY.toSeconds());
    }

    /** When the current day window ends (caps renew and levels move then). */
    public Instant dayEnds() {
        return Instant.ofEpochSecond((day(clock.instant()) + 1) * DAY.toSeconds());
    }

    /** Counts one message from the IP to the provider if today's cap has room; false when it has none. */
    public boolean tryTake(String address, String provider) {
        long today = day(clock.instant());
        Key key = new Key(address, provider);
        boolean[] taken = {false};
        states.compute(key, (k, s) -> {
            ProviderLevel current = model.rollTo(s == null ? load(k, today) : s, today);
            OptionalLong cap = model.cap(current.level());
            if (cap.isPresent() && current.sent() >= cap.getAsLong()) {
                return current;
            }
            taken[0] = true;
            return current.plusOne();
        });
        dirty.add(key);
        return taken[0];
    }

    /** Takes back one message counted today by {@link #tryTake} (the attempt did not happen). */
    public void giveBack(String address, String provider) {
        long today = day(clock.instant());
        Key key = new Key(address, provider);
        states.compute(
                key,
                (k, s) -> model.rollTo(s == null ? load(k, today) : s, today).minusOne());
        dirty.add(key);
    }

    /** The IP's position towards the provider today. */
    public ProviderLevel current(String address, String provider) {
        long today = day(clock.instant());
        return states.compute(
                new Key(address, provider), (k, s) -> model.rollTo(s == null ? load(k, today) : s, today));
    }

    /** The IP's warm-up towards every known provider (and any other it has a position for). */
    public List<ProviderWarmupView> report(String address) {
        List<String> names = new ArrayList<>(providers);
        store.providersOf(address).stream().filter(p -> !names.contains(p)).forEach(names::add);
        List<ProviderWarmupView> out = new ArrayList<>();
        for (String provider : names) {
            ProviderLevel p = current(address, provider);
            out.add(new ProviderWarmupView(
                    provider,
                    p.level(),
                    model.warmLevel(),
                    model.status(p.level()),
                    model.cap(p.level()),
                    p.sent(),
                    p.lastActiveDay()));
        }
        return out;
    }

    /** The last day the IP sent anything to any provider; {@link ProviderLevel#NEVER} if never. */
    public long lastActiveDay(String address) {
        long last = ProviderLevel.NEVER;
        List<String> names = new ArrayList<>(providers);
        store.providersOf(address).stream().filter(p -> !names.contains(p)).forEach(names::add);
        for (String provider : names) {
            last = Math.max(last, current(address, provider).lastActiveDay());
        }
        return last;
    }

    /**
     * {@link #lastActiveDay} or, if later, what the database holds: in a cluster the IP may send
     * from another node, whose counts this node's memory does not follow.
     */
    public long lastActiveDayInCluster(String address) {
        return Math.max(lastActiveDay(address), store.lastActiveDay(address));
    }

    private ProviderLevel load(Key key, long today) {
        return store.get(key.address(), key.provider()).orElseGet(() -> ProviderLevel.fresh(today));
    }

    /** Writes changed positions. */
    public void flush() {
        for (Key key : Set.copyOf(dirty)) {
            dirty.remove(key);
            ProviderLevel level = states.get(key);
            if (level != null) {
                store.put(key.address(), key.provider(), level);
            }
        }
    }
}
