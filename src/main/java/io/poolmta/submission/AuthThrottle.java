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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Brute-force guard for SMTP AUTH, per client IP address: first slowed down, then locked out.
 *
 * <p>Every credential check is admitted first ({@link #admit}) and counted from that moment: an
 * attempt still in flight counts against the limit as if it had failed, so that no number of
 * concurrent sessions can get more than {@code maxFailures} wrong passwords checked within
 * {@code window}. The failure that reaches {@code maxFailures} locks the address out for
 * {@code lockout}; while locked, and while failures plus attempts in flight already reach the
 * limit, AUTH is answered 454 4.7.0 without checking anything. At most {@code maxConcurrent}
 * attempts per address are checked at once (a failed one holds its place until it is answered);
 * another waits up to {@code admissionWait} for a place, then gets 454 too.
 *
 * <p>The n-th failure within {@code window} is answered only after n × {@code failureDelay}: with
 * the defaults five guesses take 1 + 2 + 3 + 4 + 5 = 15 seconds and then the address waits 15
 * minutes. A success neither clears earlier failures nor resets the count; failures age out of the
 * window. Time comes from the injected clock. Thread-safe; memory is bounded by pruning expired
 * entries when the table grows.
 */
public final class AuthThrottle {
    public static final int DEFAULT_MAX_FAILURES = 5;
    public static final Duration DEFAULT_WINDOW = Duration.ofMinutes(10);
    public static final Duration DEFAULT_LOCKOUT = Duration.ofMinutes(15);
    /** Credential checks from one address at the same time. */
    public static final int DEFAULT_MAX_CONCURRENT = 4;
    /** How long an attempt waits for one of those places before it is refused. */
    public static final Duration DEFAULT_ADMISSION_WAIT = Duration.ofSeconds(2);

    private static final int PRUNE_ABOVE = 10_000;

    /** Why an attempt was not admitted; each is answered 454 4.7.0. */
    public enum Refusal {
        LOCKED("Too many failed authentication attempts, try again later"),
        BUSY("Too many concurrent authentication attempts, try again later");

        private final String text;

        Refusal(String text) {
            this.text = text;
        }

        /** The reply text after "454 4.7.0 ". */
        public String text() {
            return text;
        }
    }

    private final Clock clock;
    private final int maxFailures;
    private final Duration window;
    private final Duration lockout;
    private final Duration failureDelay;
    private final int maxConcurrent;
    private final Duration admissionWait;
    private final Map<InetAddress, Entry> entries = new HashMap<>();
    private boolean closed;

    private static final class Entry {
        final Deque<Instant> failures = new ArrayDeque<>();
        Instant lockedUntil = Instant.MIN;
        int unresolved; // admitted, outcome not known yet
        int active; // admitted and not yet answered (a failure holds its place through its delay)
    }

    public AuthThrottle(Clock clock, Duration failureDelay) {
        this(clock, DEFAULT_MAX_FAILURES, DEFAULT_WINDOW, DEFAULT_LOCKOUT, failureDelay);
    }

    public AuthThrottle(Clock clock, int maxFailures, Duration window, Duration lockout, Duration failureDelay) {
        this(clock, maxFailures, window, lockout, failureDelay, DEFAULT_MAX_CONCURRENT, DEFAULT_ADMISSION_WAIT);
    }

    public AuthThrottle(
            Clock clock,
            int maxFailures,
            Duration window,
            Duration lockout,
            Duration failureDelay,
            int maxConcurrent,
            Duration admissionWait) {
        if (maxFailures < 1
                || window.isNegative()
                || window.isZero()
                || lockout.isNegative()
                || failureDelay.isNegative()
                || maxConcurrent < 1
                || admissionWait.isNegative()) {
            throw new IllegalArgumentException("maxFailures >= 1, window > 0, lockout >= 0, failureDelay >= 0,"
                    + " maxConcurrent >= 1 and admissionWait >= 0 required");
        }
        this.clock = clock;
        this.maxFailures = maxFailures;
        this.window = window;
        this.lockout = lockout;
        this.failureDelay = failureDelay;
        this.maxConcurrent = maxConcurrent;
        this.admissionWait = admissionWait;
    }

    /** Whether AUTH from this address is refused right now (locked out, or its attempts used up). */
    public synchronized boolean isLocked(InetAddress client) {
        Entry entry = entries.get(client);
        return entry != null && exhausted(entry, clock.instant());
    }

    /**
     * Admits one credential check from {@code client}, or says why not. Waits (up to the admission
     * wait) only for a place among the concurrent checks; a locked or used-up address is refused at
     * once. The caller must report the outcome on the returned attempt and then close it.
     */
    public synchronized Admission admit(InetAddress client) throws InterruptedException {
        long deadline = System.nanoTime() + admissionWait.toNanos();
        while (true) {
            Instant now = clock.instant();
            if (entries.size() > PRUNE_ABOVE) {
                prune(now);
            }
            Entry entry = entries.computeIfAbsent(client, c -> new Entry());
            if (exhausted(entry, now)) {
                return new Admission(Optional.empty(), Optional.of(Refusal.LOCKED));
            }
            if (entry.active < maxConcurrent) {
                entry.unresolved++;
                entry.active++;
                return new Admission(Optional.of(new Attempt(client, entry)), Optional.empty());
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || closed) {
                return new Admission(Optional.empty(), Optional.of(Refusal.BUSY));
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Locked, or failures in the window plus attempts in flight already at the limit. */
    private boolean exhausted(Entry entry, Instant now) {
        if (now.isBefore(entry.lockedUntil)) {
            return true;
        }
        dropOld(entry, now);
        return entry.failures.size() + entry.unresolved >= maxFailures;
    }

    /** Either an attempt to check credentials for, or why there is none. */
    public record Admission(Optional<Attempt> attempt, Optional<Refusal> refusal) {}

    /** One admitted credential check: report {@link #failed} or {@link #succeeded}, then {@link #close}. */
    public final class Attempt implements AutoCloseable {
        private final InetAddress client;
        private final Entry entry;
        private boolean resolved;
        private boolean done;

        private Attempt(InetAddress client, Entry entry) {
            this.client = client;
            this.entry = entry;
        }

        /**
         * Counts the failure; the one that reaches the limit starts the lockout. Returns how long the
         * caller should wait before it answers: n × failureDelay for the n-th failure in the window.
         */
        public Duration failed() {
            synchronized (AuthThrottle.this) {
                Instant now = clock.instant();
                resolve();
                dropOld(entry, now);
                entry.failures.addLast(now);
                int failures = entry.failures.size();
                if (failures >= maxFailures) {
                    entry.lockedUntil = now.plus(lockout);
                }
                return failureDelay.multipliedBy(failures);
            }
        }

        public void succeeded() {
            synchronized (AuthThrottle.this) {
                resolve();
            }
        }

        private void resolve() {
            if (!resolved) {
                resolved = true;
                entry.unresolved--;
            }
        }

        /** Gives the place back (an attempt closed without an outcome counts as neither). */
        @Override
        public void close() {
            synchronized (AuthThrottle.this) {
                resolve();
                if (!done) {
                    done = true;
                    entry.active--;
                    AuthThrottle.this.notifyAll();
                }
            }
        }

        @Override
        public String toString() {
            return "AUTH attempt from " + client.getHostAddress();
        }
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
            if (entry.failures.isEmpty()
                    && entry.active == 0
                    && entry.unresolved == 0
                    && !now.isBefore(entry.lockedUntil)) {
                it.remove();
            }
        }
    }

    /**
     * Waits out a failure's delay (see {@link Attempt#failed}); returns at once when the server
     * closes, so a slowed-down guesser does not hold up a shutdown.
     */
    public synchronized void pause(Duration delay) throws InterruptedException {
        long deadline = System.nanoTime() + delay.toNanos();
        for (long left = delay.toNanos(); left > 0 && !closed; left = deadline - System.nanoTime()) {
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    /** Ends every pause and admission wait in progress, and every later one, at once. */
    public synchronized void close() {
        closed = true;
        notifyAll();
    }
}
