package io.poolmta.common;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;

/**
 * A deadline for a blocking socket operation, kept without {@code SO_TIMEOUT}: the operation runs
 * between {@link #arm} and {@link #disarm}, and one shared daemon thread, every {@link #PERIOD},
 * ends the operations that are past their deadline (the blocked call then fails, and
 * {@link #passed()} tells the caller it was a timeout). A deadline is kept to within one period.
 * While nothing is armed the thread sleeps until the next {@link #arm}, so an idle server does
 * not wake it ten times a second.
 * <p>
 * Why not {@code SO_TIMEOUT}: the JDK switches a socket with a read timeout, or one connected with
 * a timeout, to non-blocking mode for good, and from then on every read that has to wait costs
 * three system calls (a read that fails with EAGAIN, a poll, the read again) where a blocking
 * socket on a platform thread costs one. On the sending path a message waits in about eight reads
 * (PoolMTA's submission and delivery sides together); the polls were 8–12 % of those threads' CPU
 * (JFR, 2 KB end-to-end benchmark, 2026-11-27).
 * <p>
 * Ending an operation closes the socket; {@link #arm(long, boolean) arm(…, true)} instead only
 * shuts the socket's input down, which ends a blocked read with end-of-stream and leaves the
 * socket open for a last reply (a server's 421 on an idle timeout).
 */
public final class SocketDeadline {
    public static final Duration PERIOD = Duration.ofMillis(100);
    private static final Set<SocketDeadline> ARMED = ConcurrentHashMap.newKeySet();
    private static volatile boolean watcherIdle;
    private static final Thread WATCHER =
            Thread.ofPlatform().name("socket-deadlines").daemon().start(SocketDeadline::watch);

    /** A blocking operation on the socket. */
    @FunctionalInterface
    public interface Blocking<T> {
        T run() throws IOException;
    }

    private final Socket socket;
    private volatile long deadline;
    private volatile boolean inputOnly;
    private volatile boolean passed;

    public SocketDeadline(Socket socket) {
        this.socket = socket;
    }

    /** Until {@link #disarm}, the socket is closed once {@code System.nanoTime()} passes {@code deadlineNanos}. */
    public void arm(long deadlineNanos) {
        arm(deadlineNanos, false);
    }

    /** As {@link #arm(long)}; with {@code inputOnly} the socket's input is shut down instead of the socket closed. */
    public void arm(long deadlineNanos, boolean inputOnly) {
        this.deadline = deadlineNanos;
        this.inputOnly = inputOnly;
        ARMED.add(this);
        if (watcherIdle) {
            LockSupport.unpark(WATCHER);
        }
    }

    public void disarm() {
        ARMED.remove(this);
    }

    /**
     * Runs {@code operation} armed until {@code deadlineNanos} (see {@link #arm(long, boolean)});
     * when the watchdog has ended it, its failure is replaced by {@code timeout}'s exception.
     */
    public <T> T run(
            long deadlineNanos, boolean inputOnly, Blocking<T> operation, Supplier<? extends IOException> timeout)
            throws IOException {
        arm(deadlineNanos, inputOnly);
        try {
            return operation.run();
        } catch (IOException e) {
            throw passed ? timeout.get() : e;
        } finally {
            disarm();
        }
    }

    /** True once the watchdog ended an operation of this socket for being past its deadline. */
    public boolean passed() {
        return passed;
    }

    private void expire() {
        passed = true;
        try {
            if (inputOnly) {
                socket.shutdownInput();
            } else {
                socket.close();
            }
        } catch (IOException e) {
            closeQuietly();
        }
    }

    private void closeQuietly() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the socket is unusable either way
        }
    }

    private static void watch() {
        while (true) {
            if (ARMED.isEmpty()) {
                watcherIdle = true;
                if (ARMED.isEmpty()) { // an arm() between the first look and the flag unparks us
                    LockSupport.park();
                }
                watcherIdle = false;
                continue;
            }
            try {
                Thread.sleep(PERIOD);
            } catch (InterruptedException e) {
                return;
            }
            long now = System.nanoTime();
            for (SocketDeadline d : ARMED) {
                if (now - d.deadline > 0 && ARMED.remove(d)) {
                    d.expire();
                }
            }
        }
    }
}
