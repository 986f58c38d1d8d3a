package io.poolmta.advisor;

import io.poolmta.events.EventTap;
import io.poolmta.events.EventType;
import io.poolmta.events.MailEvent;
import io.poolmta.provider.DestinationProviders;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts daily volumes from events: a Delivery or Bounce event's recipients are sent, a permanent
 * Bounce's are bounced, a Complaint's are complained, on the UTC day of the event's timestamp.
 * Counting is in memory (it is on the delivery path); {@link #flush()} adds the counts to the
 * store, so a crash loses at most the counts since the last flush. Days older than
 * {@link #RETENTION_DAYS} are deleted. Thread-safe.
 */
public final class DailyVolumeLedger implements EventTap {
    public static final int RETENTION_DAYS = 35;
    private static final long DAY_SECONDS = Duration.ofDays(1).toSeconds();

    private record Key(long day, String accountId, String set, String pool, String ip, String provider) {}

    private static final class Counts {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong bounced = new AtomicLong();
        final AtomicLong complained = new AtomicLong();
    }

    private final DailyVolumeStore store;
    private final DestinationProviders providers;
    private final Clock clock;
    private final Map<Key, Counts> counts = new ConcurrentHashMap<>();
    private volatile long prunedThrough = Long.MIN_VALUE;

    public DailyVolumeLedger(DailyVolumeStore store, DestinationProviders providers, Clock clock) {
        this.store = store;
        this.providers = providers;
        this.clock = clock;
    }

    /** The UTC epoch day of an instant's seconds. */
    public static long day(Instant at) {
        return Math.floorDiv(at.getEpochSecond(), DAY_SECONDS);
    }

    @Override
    public void observe(MailEvent event) {
        boolean sent = event.type() == EventType.DELIVERY || event.type() == EventType.BOUNCE;
        boolean bounced =
                event.detail() instanceof MailEvent.Bounce b && b.bounceType().equals("Permanent");
        boolean complained = event.type() == EventType.COMPLAINT;
        if (!sent && !complained) {
            return;
        }
        long day = day(event.timestamp());
        String set = event.envelope().configurationSet().orElse("");
        String ip = event.outgoingIp().orElse("");
        for (String rcpt : event.recipients()) {
            Counts c = counts.computeIfAbsent(
                    new Key(day, event.envelope().accountId(), set, event.poolName(), ip, providers.of(rcpt)),
                    k -> new Counts());
            if (sent) {
                c.sent.incrementAndGet();
            }
            if (bounced) {
                c.bounced.incrementAndGet();
            }
            if (complained) {
                c.complained.incrementAndGet();
            }
        }
    }

    /** Adds the counts since the last flush to the store; once a day forgets days past the retention. */
    public synchronized void flush() {
        long today = day(clock.instant());
        List<DailyVolume> deltas = new ArrayList<>();
        counts.forEach((k, c) -> {
            long sent = c.sent.getAndSet(0);
            long bounced = c.bounced.getAndSet(0);
            long complained = c.complained.getAndSet(0);
            if (sent + bounced + complained > 0) {
                deltas.add(new DailyVolume(
                        k.day(), k.accountId(), k.set(), k.pool(), k.ip(), k.provider(), sent, bounced, complained));
            } else if (k.day() < today && counts.remove(k, c)) {
                // a past day's key with nothing new; an add that raced with the removal is kept
                long late = c.sent.get() + c.bounced.get() + c.complained.get();
                if (late > 0) {
                    deltas.add(new DailyVolume(
                            k.day(),
                            k.accountId(),
                            k.set(),
                            k.pool(),
                            k.ip(),
                            k.provider(),
                            c.sent.getAndSet(0),
                            c.bounced.getAndSet(0),
                            c.complained.getAndSet(0)));
                }
            }
        });
        if (!deltas.isEmpty()) {
            store.add(deltas);
        }
        if (prunedThrough < today) {
            store.deleteBefore(today - RETENTION_DAYS);
            prunedThrough = today;
        }
    }

    /** Every stored row from {@code fromDay} on, counts up to now included. */
    public List<DailyVolume> since(long fromDay) {
        flush();
        return store.since(fromDay);
    }
}
