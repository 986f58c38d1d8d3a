package io.poolmta.delivery;

import io.poolmta.delivery.smtp.SmtpReply;
import io.poolmta.provider.ProviderTable;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Adaptive throttling per (source IP, mailbox provider), additive-increase / multiplicative-decrease.
 * A known provider is one scope whatever host answered: its MX hosts speak for it. Destinations of
 * no known provider ({@link ProviderTable#OTHER}) are each their own scope, per destination site
 * (the set of receiving hosts): one small domain whose server is down or throttles must not pause
 * the IP's mail to every other unclassified domain. A site is remembered only from its first
 * throttle until it has fully recovered (all connections back, the pause back to the first) or its
 * last pause ended {@link #FORGET_AFTER} ago (a dead domain never recovers), so mail to a million
 * small domains does not leave a million entries behind; snapshots show known providers always
 * and sites while they are remembered.
 * <ul>
 *   <li>a throttling reply (421/450/451 with a policy status 4.7.x, or whose text speaks of rate
 *       limits, unusual rates, volume or reputation — Gmail 4.7.28, Outlook 4.7.650, Yahoo TSS04 …) or a refused connection halves the number of
 *       connections the IP may hold to that provider (at least one) and pauses it, 1 minute after the
 *       first throttle, doubling up to 30 minutes;</li>
 *   <li>every {@link #STEP} delivered messages raise the connection limit by one, up to the
 *       provider's limit, and halve the next pause: the path recovers gradually, never in one jump.
 *       Only deliveries on connections opened after the latest throttle count.</li>
 * </ul>
 * Thread-safe; times come from the caller (the engine's clock).
 */
public final class AdaptiveThrottle {
    public static final int STEP = 20;
    static final Duration FIRST_PAUSE = Duration.ofMinutes(1);
    static final Duration MAX_PAUSE = Duration.ofMinutes(30);
    /** A site whose last pause ended this long ago is forgotten (checked at most once a minute, on a throttle). */
    static final Duration FORGET_AFTER = Duration.ofHours(1);
    /** A policy status (4.7.x) or words providers use when they ask a sender to slow down (providers.json). */
    private static final Pattern THROTTLE_TEXT = ProviderTable.defaultThrottleReplies();

    /** What a path's throttle looks like now, for the admin API and tests. */
    public record Snapshot(
            String sourceIp,
            String provider,
            int connectionLimit,
            int maxConnections,
            Optional<Instant> pausedUntil,
            long throttles,
            long delivered,
            String site) {}

    /** {@code site} is empty for a known provider (one scope), the destination site for {@link ProviderTable#OTHER}. */
    private record Key(String ip, String provider, String site) {}

    private static final class State {
        int limit;
        int successes;
        Duration nextPause = FIRST_PAUSE;
        Instant pausedUntil = Instant.MIN;
        long throttles;
        long delivered;

        State(int limit) {
            this.limit = limit;
        }
    }

    private final ProviderTable providers;
    private final Map<Key, State> states = new ConcurrentHashMap<>();
    private volatile Instant lastForget = Instant.MIN;

    public AdaptiveThrottle(ProviderTable providers) {
        this.providers = providers;
    }

    /** Whether a reply says "slow down" rather than "this recipient is unavailable now". */
    public static boolean isThrottle(SmtpReply reply) {
        int code = reply.code();
        return (code == 421 || code == 450 || code == 451)
                && THROTTLE_TEXT.matcher(reply.text()).find();
    }

    public int connectionLimit(String ip, String provider, String site) {
        State s = read(key(ip, provider, site));
        synchronized (s) {
            return s.limit;
        }
    }

    public Optional<Instant> pausedUntil(String ip, String provider, String site, Instant now) {
        State s = read(key(ip, provider, site));
        synchronized (s) {
            return s.pausedUntil.isAfter(now) ? Optional.of(s.pausedUntil) : Optional.empty();
        }
    }

    public void onThrottled(String ip, String provider, String site, Instant now) {
        forgetStaleSites(now);
        State s = states.computeIfAbsent(key(ip, provider, site), this::fresh);
        synchronized (s) {
            s.limit = Math.max(1, s.limit / 2);
            s.successes = 0;
            s.throttles++;
            s.pausedUntil = now.plus(s.nextPause);
            Duration doubled = s.nextPause.multipliedBy(2);
            s.nextPause = doubled.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : doubled;
        }
    }

    /**
     * The path's throttle count now: a connection takes it when it opens and hands it back with
     * its deliveries ({@link #onDelivered(String, String, String, int, long)}).
     */
    public long epoch(String ip, String provider, String site) {
        State s = read(key(ip, provider, site));
        synchronized (s) {
            return s.throttles;
        }
    }

    public void onDelivered(String ip, String provider, String site, int messages) {
        onDelivered(ip, provider, site, messages, epoch(ip, provider, site));
    }

    /**
     * Deliveries of a connection opened at {@code epoch}: they raise the limit only if no throttle
     * came since, so deliveries that raced with a throttle (on the path's other connections) do
     * not undo the decrease; they are counted in {@link Snapshot#delivered} either way.
     */
    public void onDelivered(String ip, String provider, String site, int messages, long epoch) {
        int max = providers.limits(provider).connectionsPerIp();
        Key key = key(ip, provider, site);
        State s = key.site().isEmpty() ? states.computeIfAbsent(key, this::fresh) : states.get(key);
        if (s == null) {
            return; // a site that is not throttled: nothing to recover
        }
        synchronized (s) {
            s.delivered += messages;
            if (s.throttles != epoch) {
                return;
            }
            s.successes += messages;
            while (s.successes >= STEP) {
                s.successes -= STEP;
                if (s.limit < max) {
                    s.limit++;
                }
                Duration halved = s.nextPause.dividedBy(2);
                s.nextPause = halved.compareTo(FIRST_PAUSE) < 0 ? FIRST_PAUSE : halved;
            }
            if (!key.site().isEmpty() && s.limit >= max && s.nextPause.equals(FIRST_PAUSE)) {
                states.remove(key, s); // fully recovered: the site is forgotten until it throttles again
            }
        }
    }

    public List<Snapshot> snapshot(Instant now) {
        List<Snapshot> out = new ArrayList<>();
        states.forEach((key, s) -> {
            synchronized (s) {
                out.add(new Snapshot(
                        key.ip(),
                        key.provider(),
                        s.limit,
                        providers.limits(key.provider()).connectionsPerIp(),
                        s.pausedUntil.isAfter(now) ? Optional.of(s.pausedUntil) : Optional.empty(),
                        s.throttles,
                        s.delivered,
                        key.site()));
            }
        });
        out.sort(Comparator.comparing(Snapshot::sourceIp)
                .thenComparing(Snapshot::provider)
                .thenComparing(Snapshot::site));
        return out;
    }

    private void forgetStaleSites(Instant now) {
        if (lastForget.plus(Duration.ofMinutes(1)).isAfter(now)) {
            return;
        }
        lastForget = now;
        Instant before = now.minus(FORGET_AFTER);
        states.forEach((key, s) -> {
            if (!key.site().isEmpty()) {
                synchronized (s) {
                    if (s.pausedUntil.isBefore(before)) {
                        states.remove(key, s);
                    }
                }
            }
        });
    }

    private static Key key(String ip, String provider, String site) {
        String name = provider.toLowerCase(Locale.ROOT);
        return new Key(ip, name, name.equals(ProviderTable.OTHER) ? site : "");
    }

    /** The state to read: a site that is not remembered reads as a fresh, untouched path (not stored). */
    private State read(Key key) {
        if (key.site().isEmpty()) {
            return states.computeIfAbsent(key, this::fresh);
        }
        State s = states.get(key);
        return s != null ? s : fresh(key);
    }

    private State fresh(Key key) {
        return new State(providers.limits(key.provider()).connectionsPerIp());
    }
}
