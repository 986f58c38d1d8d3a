package io.poolmta.submission;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Brute-force guard for SMTP AUTH, per client IP address: first slowed down, then locked out. The
 * n-th failed attempt within {@code window} is answered only after n × {@code failureDelay} (the
 * caller waits that long, see {@link #recordFailure}); the one that reaches {@code maxFailures}
 * locks the address out for {@code lockout} (the server then answers 454 4.7.0 to AUTH without
 * checking credentials). With the defaults, five guesses take 1 + 2 + 3 + 4 + 5 = 15 seconds and
 * then the address waits 15 minutes. A success does not clear earlier failures; they age out of the
 * window. Time comes from the injected clock. Thread-safe; memory is bounded by pruning expired
 * entries when the table grows.
 */
public final class AuthThrottle {
    public static final int DEFAULT_MAX_FAILURES = 5;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
    public static final Duration DEFAULT_LOCKOUT = Duration.ofMinutes(15);
    private static final int PRUNE_ABOVE = 10_000;

    private final Clock clock;
    private final int maxFailures;
    private final Duration window;
    private final Duration lockout;
    private final Duration failureDelay;
    private final Map<InetAddress, Entry> entries = new HashMap<>();
    private final CountDownLatch closed = new CountDownLatch(1);

    private static final class Entry {
        final Deque<Instant> failures = new ArrayDeque<>();
        Instant lockedUntil = Instant.MIN;
    }

    public AuthThrottle(Clock clock, Duration failureDelay) {
        this(clock, DEFAULT_MAX_FAILURES, DEFAULT_WINDOW, DEFAULT_LOCKOUT, failureDelay);
    }

    public AuthThrottle(Clock clock, int maxFailures, Duration window, Duration lockout, Duration failureDelay) {
        if (maxFailures < 1 || window.isNegative() || window.isZero() || lockout.isNegative()
                || failureDelay.isNegative()) {
            throw new IllegalArgumentException("maxFailures >= 1, window > 0, lockout >= 0 and failureDelay >= 0 required");
        }
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.window = window;
        this.lockout = lockout;
        this.failureDelay = failureDelay;
    }

    /** Whether AUTH from this address is refused right now. */
    public synchronized boolean isLocked(InetAddress client) {
        Entry entry = entries.get(client);
        return entry != null && clock.instant().isBefore(entry.lockedUntil);
    }

    /**
     * Counts a failed attempt; the one that reaches the limit starts the lockout. Returns how long
     * the caller should wait before it answers: n × failureDelay for the n-th failure in the window.
     */
    public synchronized Duration recordFailure(InetAddress client) {
        Instant now = clock.instant();
        if (entries.size() > PRUNE_ABOVE) {
            prune(now);
        }
        Entry entry = entries.computeIfAbsent(client, c -> new Entry());
        dropOld(entry, now);
        entry.failures.addLast(now);
        int failures = entry.failures.size();
        if (failures >= maxFailures) {
            entry.failures.clear();
            entry.lockedUntil = now.plus(lockout);
        }
        return failureDelay.multipliedBy(failures);
    }

    private void dropOld(Entry entry, Instant now) {
        Instant oldest = now.minus(window);
        while (!entry.failures.isEmpty() && !entry.failures.peekFirst().isAfter(oldest)) {
            entry.failures.removeFirst();
        }
    }

    private void prune(Instant now) {
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Entry entry = it.next();
            dropOld(entry, now);
            if (entry.failures.isEmpty() && !now.isBefore(entry.lockedUntil)) {
                it.remove();
            }
        }
    }

    /**
     * Waits out a failure's delay (see {@link #recordFailure}); returns at once when the server
     * closes, so a slowed-down guesser does not hold up a shutdown.
     */
    public void pause(Duration delay) throws InterruptedException {
        if (!delay.isZero()) {
            closed.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    /** Ends every pause in progress and every later one at once. */
    public void close() {
        closed.countDown();
    }
}
