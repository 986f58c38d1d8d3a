package io.poolmta.common;

import java.time.Duration;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

/**
 * Logs a failure that can repeat many times a second (a full disk refuses every write while clients
 * retry) without flooding the log: the first failure of a spell is logged at once with its stack
 * trace, then at most one WARN per interval saying how many failed meanwhile and the latest reason,
 * and one INFO when the spell ends (the first success after failures). Thread-safe.
 */
public final class RepeatedFailureLog {
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(10);

    private final Logger log;
    private final String what;
    private final long intervalNanos;
    private final LongSupplier nanoTime;
    private volatile boolean failing; // read without the lock by the success path, which is hot
    private long spellStart;
    private long lastReport;
    private long sinceReport;
    private long inSpell;

    /** @param what what fails, for the messages, e.g. "spool write" */
    public RepeatedFailureLog(Logger log, String what) {
        this(log, what, DEFAULT_INTERVAL, System::nanoTime);
    }

    RepeatedFailureLog(Logger log, String what, Duration interval, LongSupplier nanoTime) {
        this.log = log;
        this.what = what;
        this.intervalNanos = interval.toNanos();
        this.nanoTime = nanoTime;
    }

    /**
     * One more failure; {@code detail} says what it cost (e.g. "3 messages refused"). Returns true
     * when it starts a spell (the previous attempt had worked).
     */
    public synchronized boolean failed(String detail, Throwable cause) {
        long now = nanoTime.getAsLong();
        inSpell++;
        if (!failing) {
            failing = true;
            spellStart = now;
            lastReport = now;
            sinceReport = 0;
            log.warn(
                    "{} failed ({}): {}; further failures are summarised every {} s",
                    what,
                    cause.toString(),
                    detail,
                    intervalNanos / 1_000_000_000L,
                    cause);
            return true;
        }
        sinceReport++;
        if (now - lastReport >= intervalNanos) {
            log.warn(
                    "{} still failing: {} more failures in the last {} s, the latest ({}): {}",
                    what,
                    sinceReport,
                    (now - lastReport) / 1_000_000_000L,
                    cause.toString(),
                    detail);
            lastReport = now;
            sinceReport = 0;
        }
        return false;
    }

    /** A success: ends a spell of failures, if one is on; without one it costs a volatile read. */
    public void succeeded() {
        if (failing) {
            endSpell();
        }
    }

    private synchronized void endSpell() {
        if (!failing) {
            return; // another thread ended it
        }
        long now = nanoTime.getAsLong();
        log.info("{} works again, after {} failures over {} ms", what, inSpell, (now - spellStart) / 1_000_000L);
        failing = false;
        inSpell = 0;
        sinceReport = 0;
    }

    /** Whether the latest attempt failed. */
    public boolean failing() {
        return failing;
    }
}
