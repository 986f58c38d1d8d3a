package io.poolmta.sim;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.ToLongFunction;

/**
 * A mailbox provider on loopback: an SMTP server that judges every source IP by its history, as
 * its {@link ProviderProfile} says, and counts what it accepted from each.
 * <p>
 * One virtual thread per connection ({@link ProviderSession}); per source IP one
 * {@link SourceHistory} that decides, atomically, whether a connection, a message or a recipient is
 * within the IP's allowance, so the counts are exact however many connections are open at once.
 * Time comes from the injected clock only. The read API can be called at any time from any thread;
 * a count is updated before the reply that reports it is sent. Only loopback addresses can be bound.
 * With a {@link FeedbackLoop} ({@link #reportFeedback}) it also sends DSNs and ARF complaints about
 * the mail it accepted to the messages' return paths, at the loop's rates, as providers do.
 * {@link #close()} stops accepting and drops open connections.
 */
public final class ProviderSimulator implements AutoCloseable {
    /** How many accepted messages {@link #recentMail()} keeps by default (the newest). */
    public static final int DEFAULT_RECENT_MAIL = 1000;

    private static final int BACKLOG = 200;

    private final ProviderProfile profile;
    private final Clock clock;
    private final ServerSocket server;
    private final int recentCapacity;
    private final Map<String, SourceHistory> histories = new ConcurrentHashMap<>();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong acceptedMessages = new AtomicLong();
    private final ArrayDeque<ReceivedMail> recent = new ArrayDeque<>();
    /** DKIM keys published to this receiver (TXT name → record); none: signatures are not checked. */
    private final Map<String, String> dkimKeys = new ConcurrentHashMap<>();

    private final Map<String, AtomicLong> dkimPassed = new ConcurrentHashMap<>();
    private volatile ReportSender reports;
    private volatile boolean closed;

    public ProviderSimulator(String host, int port, ProviderProfile profile, Clock clock) throws IOException {
        this(host, port, profile, clock, DEFAULT_RECENT_MAIL);
    }

    /**
     * Binds {@code host:port} (port 0: any free port) and starts accepting.
     *
     * @param recentCapacity how many of the newest accepted messages to keep (0: counts only)
     * @throws IllegalArgumentException when {@code host} is not a loopback address
     */
    public ProviderSimulator(String host, int port, ProviderProfile profile, Clock clock, int recentCapacity)
            throws IOException {
        this.profile = Objects.requireNonNull(profile, "profile");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (recentCapacity < 0) {
            throw new IllegalArgumentException("recentCapacity must be zero or more");
        }
        this.recentCapacity = recentCapacity;
        InetAddress address = InetAddress.getByName(host);
        if (!address.isLoopbackAddress()) {
            throw new IllegalArgumentException("the simulator only listens on loopback, not " + host);
        }
        this.server = new ServerSocket();
        try {
            server.bind(new InetSocketAddress(address, port), BACKLOG);
        } catch (IOException e) {
            server.close();
            throw e;
        }
        Thread.ofVirtual().name("sim-" + profile.name()).start(this::acceptLoop);
    }

    /** A simulator on 127.0.0.1 at a free port. */
    public static ProviderSimulator onLoopback(ProviderProfile profile, Clock clock) throws IOException {
        return new ProviderSimulator("127.0.0.1", 0, profile, clock);
    }

    public String name() {
        return profile.name();
    }

    public ProviderProfile profile() {
        return profile;
    }

    Clock clock() {
        return clock;
    }

    public String host() {
        return server.getInetAddress().getHostAddress();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** "127.0.0.1:2525", as a static route names a next hop. */
    public String hostPort() {
        return host() + ":" + port();
    }

    /** Recipients accepted from {@code sourceIp} (a message to two recipients counts two). */
    public long accepted(String sourceIp) {
        SourceHistory history = histories.get(sourceIp);
        return history == null ? 0 : history.accepted();
    }

    /** Throttle replies {@code sourceIp} received: rate limits, per-connection limits, refused connections. */
    public long throttled(String sourceIp) {
        SourceHistory history = histories.get(sourceIp);
        return history == null ? 0 : history.throttled();
    }

    /** Recipients accepted per source IP that sent any, sorted by address. */
    public Map<String, Long> acceptedBySource() {
        return bySource(SourceHistory::accepted);
    }

    /** Messages accepted per source IP that sent any, sorted by address. */
    public Map<String, Long> acceptedMessagesBySource() {
        return bySource(SourceHistory::acceptedMessages);
    }

    /** Throttle replies per source IP that received any, sorted by address. */
    public Map<String, Long> throttledBySource() {
        return bySource(SourceHistory::throttled);
    }

    /** Recipients accepted from every source. */
    public long totalAccepted() {
        return accepted.get();
    }

    /** Messages accepted from every source. */
    public long totalAcceptedMessages() {
        return acceptedMessages.get();
    }

    /** How the provider sees {@code sourceIp} now; an IP it has never seen gets a new IP's view. */
    public SourceSnapshot snapshot(String sourceIp) {
        SourceHistory history = histories.get(sourceIp);
        return (history != null ? history : new SourceHistory(sourceIp, profile)).snapshot(clock.instant());
    }

    /** Every source IP that has connected, sorted by address. */
    public Map<String, SourceSnapshot> snapshots() {
        Map<String, SourceSnapshot> out = new TreeMap<>();
        histories.forEach((ip, history) -> out.put(ip, history.snapshot(clock.instant())));
        return out;
    }

    /** The newest accepted messages, oldest first, at most the capacity given at construction. */
    public List<ReceivedMail> recentMail() {
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    /**
     * Publishes a DKIM key record for this receiver to look up ({@code <selector>._domainkey.<domain>},
     * as in DNS); once any is published, every accepted message's signature is checked.
     */
    public void publishDkimKey(String name, String txtRecord) {
        dkimKeys.put(name.toLowerCase(Locale.ROOT), txtRecord);
    }

    boolean checksDkim() {
        return !dkimKeys.isEmpty();
    }

    /** Checks an accepted message's DKIM signature and counts a pass for its source. */
    void checkDkim(String sourceIp, byte[] content) {
        if (DkimCheck.verify(content, name -> Optional.ofNullable(dkimKeys.get(name.toLowerCase(Locale.ROOT))))
                == DkimCheck.Result.PASS) {
            dkimPassed.computeIfAbsent(sourceIp, ip -> new AtomicLong()).incrementAndGet();
        }
    }

    /** Messages whose DKIM signature verified, per source IP, sorted by address. */
    public Map<String, Long> dkimPassedBySource() {
        Map<String, Long> out = new TreeMap<>();
        dkimPassed.forEach((ip, n) -> out.put(ip, n.get()));
        return out;
    }

    /**
     * From now on, reports bounces and complaints about the mail it accepts, as {@code loop} says
     * (replacing an earlier loop; {@code null}: no more reports).
     *
     * @throws IllegalArgumentException when the loop's address is not on loopback
     */
    public void reportFeedback(FeedbackLoop loop) throws IOException {
        ReportSender previous = reports;
        reports = loop == null ? null : new ReportSender(loop, profile.name(), clock);
        if (previous != null) {
            previous.close();
        }
    }

    /** Recipients drawn to bounce later (DSNs queued), since {@link #reportFeedback}. */
    public long reportedBounces() {
        ReportSender r = reports;
        return r == null ? 0 : r.bounces();
    }

    /** Recipients drawn to complain (ARF reports queued), since {@link #reportFeedback}. */
    public long reportedComplaints() {
        ReportSender r = reports;
        return r == null ? 0 : r.complaints();
    }

    /** Reports the feedback address answered with 250. */
    public long reportsSent() {
        ReportSender r = reports;
        return r == null ? 0 : r.sent();
    }

    /** Reports refused, not delivered or dropped; {@link #lastReportReply} says the last answer. */
    public long reportsFailed() {
        ReportSender r = reports;
        return r == null ? 0 : r.failed();
    }

    /** Reports queued and not yet sent. */
    public long reportsPending() {
        ReportSender r = reports;
        return r == null ? 0 : r.pending();
    }

    /** The feedback address's last answer (or the error) to a report. */
    public String lastReportReply() {
        ReportSender r = reports;
        return r == null ? "" : r.lastReply();
    }

    /** Records an accepted message; returns its queue number. */
    long recordAccepted(SourceHistory history, ReceivedMail mail) {
        history.accept(mail.recipients().size(), mail.receivedAt());
        accepted.addAndGet(mail.recipients().size());
        long number = acceptedMessages.incrementAndGet();
        if (recentCapacity > 0) {
            synchronized (recent) {
                if (recent.size() == recentCapacity) {
                    recent.removeFirst();
                }
                recent.addLast(mail);
            }
        }
        ReportSender r = reports;
        if (r != null) {
            r.accepted(mail);
        }
        return number;
    }

    private Map<String, Long> bySource(ToLongFunction<SourceHistory> count) {
        Map<String, Long> out = new TreeMap<>();
        histories.forEach((ip, history) -> {
            long n = count.applyAsLong(history);
            if (n > 0) {
                out.put(ip, n);
            }
        });
        return out;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = server.accept();
                socket.setTcpNoDelay(true);
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                continue;
            }
            connections.add(socket);
            if (closed) {
                closeQuietly(socket);
                return;
            }
            String ip = socket.getInetAddress().getHostAddress();
            SourceHistory history = histories.computeIfAbsent(ip, a -> new SourceHistory(a, profile));
            Thread.ofVirtual().name("sim-" + profile.name() + "-" + ip).start(() -> {
                try {
                    new ProviderSession(socket, this, history).run();
                } finally {
                    connections.remove(socket);
                }
            });
        }
    }

    @Override
    public void close() {
        closed = true;
        ReportSender r = reports;
        if (r != null) {
            r.close();
        }
        closeQuietly(server);
        connections.forEach(ProviderSimulator::closeQuietly);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
