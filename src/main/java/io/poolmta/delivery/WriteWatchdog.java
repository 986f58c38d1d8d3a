package io.poolmta.delivery;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Ends writes that the receiving server has stopped taking: every {@link #PERIOD} one daemon
 * thread looks at the connections in the middle of a write and closes those past their write
 * deadline (the blocked write then fails, and {@link SmtpConnection} reports a timeout). A write
 * costs a set insertion and removal, not a thread and a timer of its own; a deadline is kept to
 * within one period.
 */
final class WriteWatchdog {
    static final Duration PERIOD = Duration.ofMillis(100);
    static final WriteWatchdog SHARED = new WriteWatchdog();

    private final Set<SmtpConnection> writing = ConcurrentHashMap.newKeySet();

    private WriteWatchdog() {
        Thread.ofPlatform().name("smtp-write-watchdog").daemon().start(this::run);
    }

    /** From now until {@link #release}, {@code connection} is closed once its write deadline passes. */
    void watch(SmtpConnection connection) {
        writing.add(connection);
    }

    void release(SmtpConnection connection) {
        writing.remove(connection);
    }

    private void run() {
        while (true) {
            try {
                Thread.sleep(PERIOD);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (SmtpConnection connection : writing) {
                if (connection.writeOverdue(now)) {
                    writing.remove(connection);
                    connection.abortWrite();
                }
            }
        }
    }
}
