package io.poolmta.delivery;

import io.poolmta.delivery.smtp.DeliveryResult;
import io.poolmta.delivery.smtp.OutboundMessage;
import io.poolmta.delivery.smtp.SmtpTransport;
import io.poolmta.egress.SourceAddress;
import io.poolmta.ip.Ipv4;
import io.poolmta.message.MailHeaders;
import io.poolmta.nexthop.NextHop;
import io.poolmta.provider.ProviderTable;
import io.poolmta.spool.Spool;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connections of every egress path (docs/ARCHITECTURE.md): a {@link ReadyQueue} per path, and
 * the connections that serve it, each delivering up to {@code maxMessagesPerConnection} messages
 * (and the provider's limit) through the {@link SmtpTransport}, at most
 * {@code maxConnectionsPerPath} (and the throttle's limit) at a time.
 * <ul>
 *   <li>Each message's outcome is recorded as soon as its reply is in ({@link OutcomeRecorder}).
 *       A message that cannot be read from the spool is deferred, not attempted.</li>
 *   <li>Only an attempted message has outcomes. When a connection breaks, the message whose
 *       transaction it broke (or, when no connection could be opened, the first of the batch) is
 *       the attempt; the messages of the batch that were never tried on it are put back as they
 *       were — no event, no attempt counted, last reply and IP unchanged, source selection and
 *       hourly count given back — and routed again at once, after the throttle has recorded the
 *       failure (so a pause holds them back). Every connection attempts at least one message, so
 *       this cannot spin; a batch in which nothing was attempted waits one first backoff.</li>
 *   <li>After each connection the throttle hears of its deliveries, then of a throttle.</li>
 * </ul>
 */
final class PathConnections {
    private static final Logger LOG = LoggerFactory.getLogger(PathConnections.class);
    /**
     * The content a connection reads from the spool at a time: a round of messages up to this many
     * bytes (at least one message). A batch of 100 messages of 50 KB read at once was 5 MB held
     * per connection for the whole connection; under a deep queue that was most of the heap's
     * live data, promoted and collected again and again.
     */
    static final long ROUND_BYTES = 256 * 1024;

    /** Runs one connection's work. */
    @FunctionalInterface
    interface Starter {
        void start(EgressPath path, Runnable connection);
    }

    /**
     * A platform thread per connection (at most connectionsPerIp per path): it blocks on the socket
     * for every reply, which costs a platform thread less CPU than a virtual thread's park and
     * I/O-poller round (see SubmissionServer).
     */
    static final Starter PLATFORM_THREADS = (path, connection) -> Thread.ofPlatform()
            .daemon()
            .name("deliver-" + path.source() + "-" + path.site())
            .start(connection);

    /** A path's queue, with the source and hosts of the task that opened it. */
    private record Lane(EgressPath path, SourceAddress source, List<NextHop> hosts, ReadyQueue<ReadyTask> queue) {}

    private final Spool spool;
    private final SmtpTransport transport;
    private final AdaptiveThrottle throttle;
    private final ProviderTable providers;
    private final DeliverySettings settings;
    private final EgressRouter router;
    private final ScheduledQueue scheduled;
    private final OutcomeRecorder outcomes;
    private final Clock clock;
    private final Starter starter;
    private final Map<EgressPath, Lane> lanes = new ConcurrentHashMap<>();
    private final AtomicInteger active = new AtomicInteger();
    private volatile boolean running = true;

    PathConnections(
            Spool spool,
            SmtpTransport transport,
            AdaptiveThrottle throttle,
            ProviderTable providers,
            DeliverySettings settings,
            EgressRouter router,
            ScheduledQueue scheduled,
            OutcomeRecorder outcomes,
            Clock clock,
            Starter starter) {
        this.spool = spool;
        this.transport = transport;
        this.throttle = throttle;
        this.providers = providers;
        this.settings = settings;
        this.router = router;
        this.scheduled = scheduled;
        this.outcomes = outcomes;
        this.clock = clock;
        this.starter = starter;
    }

    /** Queues a routed task on its path, and opens a connection if the path has room and needs one. */
    void offer(DeliveryTask task, EgressDecision.Routed routed) {
        EgressPath path = routed.path();
        Lane lane = lanes.computeIfAbsent(
                path, p -> new Lane(p, routed.selection().source(), routed.hosts(), new ReadyQueue<>()));
        if (lane.queue().add(new ReadyTask(task, routed.selection(), routed.hourTaken()), maxConnections(path))) {
            active.incrementAndGet();
            starter.start(path, () -> {
                try {
                    work(lane);
                } finally {
                    active.decrementAndGet();
                }
            });
        }
    }

    /** Tasks waiting on ready queues. */
    int queued() {
        return lanes.values().stream().mapToInt(l -> l.queue().size()).sum();
    }

    /** Connections open or opening. */
    int active() {
        return active.get();
    }

    /** Stops taking work: connections finish the batch they are delivering, waiting ones end at once. */
    void close() {
        running = false;
        lanes.values().forEach(l -> l.queue().close());
    }

    private void work(Lane lane) {
        EgressPath path = lane.path();
        Ipv4 ip = lane.source().ip();
        while (running) {
            int perConnection = messagesPerConnection(path);
            List<ReadyTask> taken = lane.queue().take(perConnection, maxConnections(path));
            if (taken.isEmpty()) {
                return;
            }
            // every message sent on this connection, in order: the first round, then what `more`
            // handed out; each loses its content once its result is handled, so a connection that
            // sends many large messages holds only those of its current round
            List<ReadyTask> sent = new ArrayList<>(taken.size());
            // what was taken but not yet read from the spool: read a round at a time, at most
            // ROUND_BYTES of content, so a connection does not hold a whole batch of large messages
            // in memory while it sends them one by one
            Deque<ReadyTask> unread = new ArrayDeque<>(taken);
            int[] handled = {0}; // results already handled, in `sent` order
            try {
                List<ReadyTask> batch = nextRound(unread, ip);
                if (batch.isEmpty()) {
                    continue;
                }
                sent.addAll(batch);
                // while the connection is healthy it takes the rest of what it was given, then what
                // reached the queue meanwhile (waiting up to connectionIdle), up to the per-connection
                // limit, instead of a new connection
                Supplier<List<OutboundMessage>> more = () -> {
                    if (!running) {
                        return List.of();
                    }
                    if (unread.isEmpty()) {
                        unread.addAll(lane.queue()
                                .more(perConnection - sent.size(), maxConnections(path), settings.connectionIdle()));
                    }
                    List<ReadyTask> next = nextRound(unread, ip);
                    sent.addAll(next);
                    return outbound(next);
                };
                long epoch = throttle.epoch(path.source().text(), path.provider(), path.site());
                // each outcome is recorded as soon as its reply is in, so a crash repeats at most the
                // messages whose reply had just come back, not the whole batch
                List<DeliveryResult> results =
                        transport.deliver(lane.source(), lane.hosts(), path.tls(), outbound(batch), more, result -> {
                            ReadyTask routed = sent.get(handled[0]);
                            sent.set(handled[0], routed.withoutContent());
                            if (result.attempted()) {
                                outcomes.attempted(routed, ip, result, clock.instant());
                            }
                            handled[0]++;
                        });
                afterConnection(path, sent, results, List.copyOf(unread), epoch);
            } catch (RuntimeException e) {
                LOG.error("delivery from {} failed unexpectedly; deferring the rest of the batch", path.source(), e);
                Instant now = clock.instant();
                List<ReadyTask> unhandled = new ArrayList<>(sent.isEmpty() ? taken : sent);
                if (!sent.isEmpty()) {
                    unhandled.addAll(unread);
                }
                for (ReadyTask r : unhandled.subList(Math.min(handled[0], unhandled.size()), unhandled.size())) {
                    outcomes.defer(
                            r.task(),
                            Optional.of(ip),
                            Optional.empty(),
                            "451 4.3.0 internal delivery error",
                            DelayType.INTERNAL_FAILURE,
                            r.poolName(),
                            now);
                }
            }
        }
    }

    /**
     * The next messages of {@code unread}, read from the spool, up to {@link #ROUND_BYTES} of
     * content (at least one message); empty only when none of the rest could be read.
     */
    private List<ReadyTask> nextRound(Deque<ReadyTask> unread, Ipv4 ip) {
        while (!unread.isEmpty()) {
            List<ReadyTask> round = new ArrayList<>();
            long bytes = 0;
            while (!unread.isEmpty()
                    && (round.isEmpty()
                            || bytes + unread.peekFirst().task().message().ref().contentBytes() <= ROUND_BYTES)) {
                ReadyTask r = unread.pollFirst();
                bytes += r.task().message().ref().contentBytes();
                round.add(r);
            }
            List<ReadyTask> readable = withContent(round, ip);
            if (!readable.isEmpty()) {
                return readable;
            }
        }
        return List.of();
    }

    /** Tells the throttle how the connection went, and puts back the messages it never tried. */
    private void afterConnection(
            EgressPath path, List<ReadyTask> sent, List<DeliveryResult> results, List<ReadyTask> unread, long epoch) {
        Instant now = clock.instant();
        int deliveredMessages = 0;
        boolean throttled = false;
        List<ReadyTask> untried = new ArrayList<>();
        for (int i = 0; i < sent.size(); i++) {
            DeliveryResult result = results.get(i);
            if (!result.attempted()) {
                untried.add(sent.get(i));
                continue;
            }
            throttled |= OutcomeClassifier.throttlesPath(result);
            deliveredMessages += OutcomeClassifier.delivered(result) ? 1 : 0;
        }
        // deliveries first: they came before the throttle that ended the connection, so they
        // must not raise the limit the throttle has just lowered
        if (deliveredMessages > 0) {
            throttle.onDelivered(path.source().text(), path.provider(), path.site(), deliveredMessages, epoch);
        }
        if (throttled) {
            throttle.onThrottled(path.source().text(), path.provider(), path.site(), now);
            LOG.info(
                    "{} throttled by {} ({}): down to {} connection(s), paused",
                    path.source(),
                    path.provider(),
                    path.site(),
                    throttle.connectionLimit(path.source().text(), path.provider(), path.site()));
        }
        boolean anyAttempted = untried.size() < sent.size();
        untried.addAll(unread); // taken for this connection, never read nor tried: it ended first
        if (!untried.isEmpty()) {
            // after the throttle has heard of the failure: routing holds them back while the path is paused
            putBack(
                    untried,
                    path,
                    anyAttempted ? now : now.plus(settings.retry().initial()));
        }
    }

    /**
     * The batch with each message's bytes read back from the spool. A message that cannot be read
     * is deferred (and bounces at its expiry if it never can be), not attempted.
     */
    private List<ReadyTask> withContent(List<ReadyTask> batch, Ipv4 ip) {
        List<ReadyTask> readable = new ArrayList<>(batch.size());
        for (ReadyTask r : batch) {
            try {
                readable.add(r.withContent(spool.content(r.task().message())));
            } catch (RuntimeException e) { // SpoolException, or anything unexpected: never attempt without content
                LOG.error(
                        "message {} could not be read from the spool; deferring it",
                        r.task().message().messageId(),
                        e);
                outcomes.defer(
                        r.task(),
                        Optional.of(ip),
                        Optional.empty(),
                        "451 4.3.0 message could not be read from the spool",
                        DelayType.INTERNAL_FAILURE,
                        r.poolName(),
                        clock.instant(),
                        MailHeaders.UNREADABLE);
            }
        }
        return readable;
    }

    /**
     * Puts back the messages of a batch that were not attempted: their selection and hourly count
     * are given back (they used neither), no event, no attempt counted, last reply kept.
     */
    private void putBack(List<ReadyTask> untried, EgressPath path, Instant at) {
        for (ReadyTask r : untried) {
            router.giveBack(r, path);
            scheduled.holdBack(r.task(), at, Optional.empty());
        }
        LOG.debug(
                "{} message(s) from {} to {} not attempted on a broken connection; put back",
                untried.size(),
                path.source(),
                path.site());
    }

    /** Connections this path may hold now: the engine's limit, the provider's, and the throttle's. */
    private int maxConnections(EgressPath path) {
        return Math.min(
                settings.maxConnectionsPerPath(),
                throttle.connectionLimit(path.source().text(), path.provider(), path.site()));
    }

    private int messagesPerConnection(EgressPath path) {
        return Math.min(
                settings.maxMessagesPerConnection(),
                providers.limits(path.provider()).messagesPerConnection());
    }

    private static List<OutboundMessage> outbound(List<ReadyTask> tasks) {
        return tasks.stream()
                .map(r -> new OutboundMessage(
                        r.task().message().messageId(),
                        r.task().message().envelope().wireMailFrom(),
                        r.task().recipients(),
                        r.content()))
                .toList();
    }
}
