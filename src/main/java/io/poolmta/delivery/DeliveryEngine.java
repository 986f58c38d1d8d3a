package io.poolmta.delivery;

import io.poolmta.common.SharedStrings;
import io.poolmta.events.EventPublisher;
import io.poolmta.events.MailEvent;
import io.poolmta.ip.Ipv4;
import io.poolmta.message.Envelope;
import io.poolmta.message.MailHeaders;
import io.poolmta.provider.ProviderTable;
import io.poolmta.routing.SourceSelection;
import io.poolmta.routing.SourceSelector;
import io.poolmta.spool.Spool;
import io.poolmta.spool.StoredMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.PriorityBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler and the ready queues (DESIGN.md §3).
 * <ul>
 *   <li><b>When</b>: every (message, destination domain) is a task in one scheduled queue ordered
 *       by due time (the injected clock's time). A dispatcher takes due tasks, resolves the next
 *       hop, asks the {@link SourceSelector} for a source, and hands the task to the ready queue of
 *       its {@link EgressPath}. A task past its message's expiry is bounced instead.</li>
 *   <li><b>How fast</b>: each ready queue is served by at most {@code maxConnectionsPerPath}
 *       workers, each delivering up to {@code maxMessagesPerConnection} messages per connection and
 *       taking no more than its share of the queue at a time (queue / connections), so a burst
 *       spreads over the path's connections. A connection whose queue runs empty waits up to
 *       {@code connectionIdle} for more before it QUITs, so a steady trickle of mail does not pay
 *       a TCP handshake, greeting and EHLO per message (Postfix's connection cache does the
 *       same).</li>
 *   <li>Outcomes per recipient: 2xx → Delivery event; 5xx → permanent Bounce; 4xx → DeliveryDelay
 *       event and a retry after the policy's backoff, never later than the expiry, where the
 *       recipient bounces (Transient). Every final outcome is recorded in the spool, after the
 *       event, as soon as the message's reply is in (not at the end of its connection's batch), so
 *       a crash can cause a duplicate of the messages whose replies had just come back, never a
 *       loss.</li>
 *   <li>Only an attempted message has outcomes. When a connection breaks, the message whose
 *       transaction it broke (or, when no connection could be opened, the first of the batch) is
 *       the attempt; the messages of the batch that were never tried on it are put back as they
 *       were — no event, no attempt counted, last reply and IP unchanged, source selection and
 *       hourly count given back — and routed again at once, after the throttle has recorded the
 *       failure (so a pause holds them back). Every connection attempts at least one message, so
 *       this cannot spin; a batch in which nothing was attempted waits one first backoff.</li>
 * </ul>
 */
public final class DeliveryEngine implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);
    /** How much of a stored message is read to summarise its header for an event without an attempt. */
    private static final int HEAD_BYTES = 16 * 1024;
    /**
     * How long the dispatcher, woken by a newly accepted message, waits for more before it routes:
     * under load it then routes a handful of messages per wake-up, and the delivery connections
     * get them together, instead of one thread hand-off after another for every message.
     */
    static final Duration DISPATCH_GATHER = Duration.ofMillis(1);

    private final Spool spool;
    private final SmtpTransport transport;
    private final NextHopResolver resolver;
    private final SourceSelector selector;
    private final EventPublisher events;
    private final ProviderTable providers;
    private final AdaptiveThrottle throttle;
    private final HourlyLimit hourly = new HourlyLimit();
    private final DeliverySettings settings;
    private final Clock clock;
    private final PriorityBlockingQueue<DeliveryTask> scheduled = new PriorityBlockingQueue<>(1024,
            Comparator.comparing(DeliveryTask::due).thenComparingLong(DeliveryTask::sequence));
    private final Map<EgressPath, ReadyQueue> ready = new ConcurrentHashMap<>();
    private final AtomicLong sequence = new AtomicLong();
    private final SharedStrings shared = new SharedStrings(10_000);
    private final AtomicLong delivered = new AtomicLong();
    private final AtomicLong bounced = new AtomicLong();
    private final AtomicLong deferred = new AtomicLong();
    private final AtomicInteger activeWorkers = new AtomicInteger();
    private final AtomicBoolean wakeRequested = new AtomicBoolean();
    private final Thread dispatcher;
    private volatile boolean running = true;

    public DeliveryEngine(Spool spool, SmtpTransport transport, NextHopResolver resolver, SourceSelector selector,
            EventPublisher events, ProviderTable providers, DeliverySettings settings, Clock clock) {
        this.spool = spool;
        this.transport = transport;
        this.resolver = resolver;
        this.selector = selector;
        this.events = events;
        this.providers = providers;
        this.throttle = new AdaptiveThrottle(providers);
        this.settings = settings;
        this.clock = clock;
        this.dispatcher = Thread.ofPlatform().name("delivery-dispatcher").daemon().unstarted(this::dispatchLoop);
    }

    public void start() {
        dispatcher.start();
    }

    /** Queues every recipient of an accepted (spooled) message for delivery now. */
    public void submit(StoredMessage message) {
        submit(message, clock.instant());
        if (wakeRequested.compareAndSet(false, true)) { // later ones join the gathering round
            LockSupport.unpark(dispatcher);
        }
    }

    /** Queues messages read back from the spool, all due now (one clock reading for all of them). */
    public void submitAll(List<StoredMessage> messages) {
        Instant now = clock.instant();
        messages.forEach(m -> submit(m, now));
        LockSupport.unpark(dispatcher);
    }

    private void submit(StoredMessage message, Instant now) {
        Map<String, List<String>> byDomain = new LinkedHashMap<>();
        for (String rcpt : message.envelope().recipients()) {
            byDomain.computeIfAbsent(shared.share(domainOf(rcpt)), d -> new ArrayList<>()).add(rcpt);
        }
        byDomain.forEach((domain, rcpts) -> scheduled.add(new DeliveryTask(message, domain,
                byDomain.size() == 1 ? message.envelope().recipients() : rcpts, 0, Optional.empty(), Optional.empty(),
                now, sequence.incrementAndGet())));
    }

    /** Recipients delivered since start. */
    public long delivered() {
        return delivered.get();
    }

    public long bounced() {
        return bounced.get();
    }

    /** Temporary failures (attempts that will be retried or expire). */
    public long deferred() {
        return deferred.get();
    }

    /** Tasks waiting in the scheduled queue or a ready queue. */
    public int queued() {
        return scheduled.size() + ready.values().stream().mapToInt(ReadyQueue::size).sum();
    }

    private void dispatchLoop() {
        while (running) {
            if (wakeRequested.get()) {
                LockSupport.parkNanos(DISPATCH_GATHER.toNanos());
                wakeRequested.set(false); // from here on a new message wakes the dispatcher again
            }
            try {
                Instant now = clock.instant();
                DeliveryTask head;
                while ((head = scheduled.peek()) != null && !head.due().isAfter(now)) {
                    DeliveryTask task = scheduled.poll();
                    if (task != null) {
                        route(task, now);
                    }
                }
            } catch (RuntimeException e) {
                LOG.error("delivery dispatcher failed; continuing", e);
            }
            LockSupport.parkNanos(settings.tick().toNanos());
        }
    }

    private void route(DeliveryTask task, Instant now) {
        Envelope env = task.message().envelope();
        if (!now.isBefore(env.expiresAt())) {
            expire(task, now);
            return;
        }
        switch (resolver.resolve(task.domain())) {
            case NextHopResolution.TemporaryFailure t -> defer(task, Optional.empty(), Optional.empty(), "451 " + t.reason(),
                    "TransientCommunicationFailure", env.poolName(), now, headers(task));
            case NextHopResolution.PermanentFailure p -> finishBounce(task, task.recipients(), Optional.empty(),
                    Optional.empty(), "550 " + p.reason(), "Permanent", env.poolName(), now, headers(task));
            case NextHopResolution.Hosts hosts -> {
                String provider = providers.classify(task.domain(), hosts.hosts().stream().map(NextHop::host).toList());
                switch (selector.select(env, task.domain(), provider, task.lastIp())) {
                    case SourceSelection.Selected s -> {
                        Optional<Instant> paused = throttle.pausedUntil(s.source().ip().text(), provider, hosts.site(), now);
                        if (paused.isPresent()) {
                            selector.cancel(env, s, provider);
                            holdBack(task, paused.get(), "451 4.7.0 sending from " + s.source().ip() + " to " + provider
                                    + " is paused after throttling");
                            return;
                        }
                        int perHour = providers.limits(provider).messagesPerHour();
                        if (perHour > 0 && !hourly.tryTake(s.source().ip().text(), provider, now, perHour)) {
                            selector.cancel(env, s, provider);
                            holdBack(task, HourlyLimit.nextHour(now), "451 4.7.0 hourly limit of " + perHour
                                    + " messages from " + s.source().ip() + " to " + provider + " reached");
                            return;
                        }
                        Optional<Instant> hourTaken = perHour > 0 ? Optional.of(now) : Optional.empty();
                        EgressPath path = new EgressPath(s.source().ip(), hosts.site(), provider, env.tlsPolicy());
                        ReadyQueue queue = ready.computeIfAbsent(path, p -> new ReadyQueue(p, s.source(), hosts.hosts()));
                        if (queue.add(new Routed(task, s, hourTaken), maxConnections(path))) {
                            activeWorkers.incrementAndGet();
                            // a platform thread per connection (at most connectionsPerIp per path): it
                            // blocks on the socket for every reply, which costs a platform thread less
                            // CPU than a virtual thread's park and I/O-poller round (see SubmissionServer)
                            Thread.ofPlatform().daemon().name("deliver-" + path.source() + "-" + path.site()).start(() -> {
                                try {
                                    work(queue);
                                } finally {
                                    activeWorkers.decrementAndGet();
                                }
                            });
                        }
                    }
                    case SourceSelection.Delay d -> holdBack(task, d.until(), "451 4.7.0 " + d.reason());
                    case SourceSelection.NoSources n -> defer(task, Optional.empty(), Optional.empty(),
                            "451 4.4.0 " + n.reason(), "IPFailure", env.poolName(), now, headers(task));
                }
            }
        }
    }

    /**
     * A task on a ready queue: the source selected for it, when the provider's hourly limit counted
     * it (if it did), and its {@code content}, read from the spool just before the attempt.
     */
    private record Routed(DeliveryTask task, SourceSelection.Selected selection, Optional<Instant> hourTaken, byte[] content) {
        Routed(DeliveryTask task, SourceSelection.Selected selection, Optional<Instant> hourTaken) {
            this(task, selection, hourTaken, null);
        }

        /** The same, without the content: what is kept of a message once its attempt is over. */
        Routed withoutContent() {
            return content == null ? this : new Routed(task, selection, hourTaken);
        }

        String poolName() {
            return selection.poolName();
        }

        Optional<String> overflowFrom() {
            return selection.overflowFrom();
        }
    }

    /**
     * The batch with each message's bytes read back from the spool. A message that cannot be read
     * is deferred (and bounces at its expiry if it never can be), not attempted.
     */
    private List<Routed> withContent(List<Routed> batch, Ipv4 ip) {
        List<Routed> readable = new ArrayList<>(batch.size());
        for (Routed r : batch) {
            try {
                byte[] content = spool.content(r.task().message());
                readable.add(new Routed(r.task(), r.selection(), r.hourTaken(), content));
            } catch (RuntimeException e) { // SpoolException, or anything unexpected: never attempt without content
                LOG.error("message {} could not be read from the spool; deferring it", r.task().message().messageId(), e);
                defer(r.task(), Optional.of(ip), Optional.empty(), "451 4.3.0 message could not be read from the spool",
                        "InternalFailure", r.poolName(), clock.instant(), MailHeaders.UNREADABLE);
            }
        }
        return readable;
    }

    /** Puts a task back without an attempt, to be routed again at {@code until} (never after its expiry). */
    private void holdBack(DeliveryTask task, Instant until, String reason) {
        holdBack(task, until, shared.optional(reason));
    }

    /** As above; {@code reason}, when given, becomes the task's last reply (for the bounce on expiry). */
    private void holdBack(DeliveryTask task, Instant until, Optional<String> reason) {
        Instant expires = task.message().envelope().expiresAt();
        Instant at = until.isAfter(expires) ? expires : until;
        scheduled.add(task.later(at, reason, sequence.incrementAndGet()));
    }

    /**
     * Puts back the messages of a batch that were not attempted: their selection and hourly count
     * are given back (they used neither), no event, no attempt counted, last reply kept.
     */
    private void putBack(List<Routed> untried, EgressPath path, Instant at) {
        for (Routed r : untried) {
            selector.cancel(r.task().message().envelope(), r.selection(), path.provider());
            r.hourTaken().ifPresent(taken -> hourly.giveBack(path.source().text(), path.provider(), taken));
            holdBack(r.task(), at, Optional.empty());
        }
        LOG.debug("{} message(s) from {} to {} not attempted on a broken connection; put back", untried.size(),
                path.source(), path.site());
    }

    /** Connections this path may hold now: the engine's limit, the provider's, and the throttle's. */
    private int maxConnections(EgressPath path) {
        return Math.min(settings.maxConnectionsPerPath(),
                throttle.connectionLimit(path.source().text(), path.provider(), path.site()));
    }

    private int messagesPerConnection(EgressPath path) {
        return Math.min(settings.maxMessagesPerConnection(), providers.limits(path.provider()).messagesPerConnection());
    }

    /** Each (source IP, provider) throttle's state now. */
    public List<AdaptiveThrottle.Snapshot> throttles() {
        return throttle.snapshot(clock.instant());
    }

    /** One egress path's queue; counts the workers serving it, at most {@code max}. */
    private final class ReadyQueue {
        final EgressPath path;
        final SourceAddress source;
        final List<NextHop> hosts;
        private final ArrayDeque<Routed> tasks = new ArrayDeque<>();
        private int workers;
        private int waiting;

        ReadyQueue(EgressPath path, SourceAddress source, List<NextHop> hosts) {
            this.path = path;
            this.source = source;
            this.hosts = hosts;
        }

        /**
         * Adds a task; true when the caller must start a new worker: the path has room for one and
         * more tasks wait than connections wait for them ({@link #more}), which are woken.
         */
        synchronized boolean add(Routed task, int max) {
            tasks.add(task);
            if (waiting > 0) {
                notify();
            }
            if (workers < max && tasks.size() > waiting) { // more work than idle connections
                workers++;
                return true;
            }
            return false;
        }

        /**
         * Up to {@code n} tasks; an empty list retires the calling worker, as does a worker count
         * above {@code maxWorkers} (the path was throttled down).
         */
        synchronized List<Routed> take(int n, int maxWorkers) {
            List<Routed> batch = new ArrayList<>();
            if (workers > maxWorkers) {
                workers--;
                return batch;
            }
            drain(batch, fairShare(n, maxWorkers));
            if (batch.isEmpty()) {
                workers--;
            }
            return batch;
        }

        /**
         * Up to {@code n} more tasks for a worker whose connection is open, waiting up to
         * {@code idle} for the first; empty when none came, or when the path now allows fewer
         * workers than it has (the worker then retires in {@link #take}).
         */
        synchronized List<Routed> more(int n, int maxWorkers, Duration idle) {
            List<Routed> batch = new ArrayList<>();
            if (workers > maxWorkers || n <= 0) {
                return batch;
            }
            long deadline = System.nanoTime() + idle.toNanos();
            waiting++;
            try {
                for (long left; running && tasks.isEmpty() && (left = deadline - System.nanoTime()) > 0; ) {
                    wait(Math.max(1, left / 1_000_000));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting--;
            }
            drain(batch, fairShare(n, maxWorkers));
            return batch;
        }

        /**
         * At most {@code n}, and no more than this worker's share of the queue: a worker that
         * took everything would send it one message after another while the path's other
         * connections stood idle (it matters with a distant receiver, where each message costs
         * round trips).
         */
        private int fairShare(int n, int maxWorkers) {
            int share = (tasks.size() + Math.max(1, maxWorkers) - 1) / Math.max(1, maxWorkers);
            return Math.min(n, Math.max(1, share));
        }

        private void drain(List<Routed> batch, int n) {
            while (batch.size() < n && !tasks.isEmpty()) {
                batch.add(tasks.poll());
            }
        }

        synchronized int size() {
            return tasks.size();
        }

        /** Ends the waits of connections waiting for more (on close). */
        synchronized void wakeAll() {
            notifyAll();
        }
    }

    private void work(ReadyQueue queue) {
        Ipv4 ip = queue.source.ip();
        while (running) {
            int perConnection = messagesPerConnection(queue.path);
            List<Routed> taken = queue.take(perConnection, maxConnections(queue.path));
            if (taken.isEmpty()) {
                return;
            }
            // every message sent on this connection, in order: the first batch, then what `more`
            // handed out; each loses its content once its result is handled, so a connection that
            // sends many large messages holds only those of its current round
            List<Routed> sent = new ArrayList<>(taken.size());
            int[] handled = {0}; // results already handled, in `sent` order
            try {
                List<Routed> batch = withContent(taken, ip);
                if (batch.isEmpty()) {
                    continue;
                }
                sent.addAll(batch);
                // while the connection is healthy it takes what reached the queue meanwhile (waiting
                // up to connectionIdle), up to the per-connection limit, instead of a new connection
                Supplier<List<OutboundMessage>> more = () -> {
                    if (!running) {
                        return List.of();
                    }
                    List<Routed> next = withContent(queue.more(perConnection - sent.size(), maxConnections(queue.path),
                            settings.connectionIdle()), ip);
                    sent.addAll(next);
                    return outbound(next);
                };
                long epoch = throttle.epoch(queue.path.source().text(), queue.path.provider(), queue.path.site());
                // each outcome is recorded as soon as its reply is in, so a crash repeats at most the
                // messages whose reply had just come back, not the whole batch
                List<DeliveryResult> results = transport.deliver(queue.source, queue.hosts, queue.path.tls(), outbound(batch),
                        more, result -> {
                            Routed routed = sent.get(handled[0]);
                            sent.set(handled[0], routed.withoutContent());
                            if (result.attempted()) {
                                handle(routed, ip, result, clock.instant());
                            }
                            handled[0]++;
                        });
                Instant now = clock.instant();
                int deliveredMessages = 0;
                boolean throttled = false;
                List<Routed> untried = new ArrayList<>();
                for (int i = 0; i < sent.size(); i++) {
                    DeliveryResult result = results.get(i);
                    if (!result.attempted()) {
                        untried.add(sent.get(i));
                        continue;
                    }
                    throttled |= result.recipients().stream().anyMatch(r -> AdaptiveThrottle.isThrottle(r.reply()))
                            || (result.remoteAddress().isEmpty()
                                && result.recipients().stream().anyMatch(r -> r.reply().transientFailure()));
                    deliveredMessages += result.recipients().stream().anyMatch(r -> r.reply().positive()) ? 1 : 0;
                }
                // deliveries first: they came before the throttle that ended the connection, so they
                // must not raise the limit the throttle has just lowered
                if (deliveredMessages > 0) {
                    throttle.onDelivered(queue.path.source().text(), queue.path.provider(), queue.path.site(), deliveredMessages,
                            epoch);
                }
                if (throttled) {
                    throttle.onThrottled(queue.path.source().text(), queue.path.provider(), queue.path.site(), now);
                    LOG.info("{} throttled by {} ({}): down to {} connection(s), paused", queue.path.source(),
                            queue.path.provider(), queue.path.site(),
                            throttle.connectionLimit(queue.path.source().text(), queue.path.provider(), queue.path.site()));
                }
                if (!untried.isEmpty()) {
                    // after the throttle has heard of the failure: routing holds them back while the path is paused
                    putBack(untried, queue.path, untried.size() < sent.size() ? now : now.plus(settings.retry().initial()));
                }
            } catch (RuntimeException e) {
                LOG.error("delivery from {} failed unexpectedly; deferring the rest of the batch", queue.path.source(), e);
                Instant now = clock.instant();
                List<Routed> unhandled = sent.isEmpty() ? taken : sent;
                for (Routed r : unhandled.subList(Math.min(handled[0], unhandled.size()), unhandled.size())) {
                    defer(r.task(), Optional.of(ip), Optional.empty(), "451 4.3.0 internal delivery error",
                            "InternalFailure", r.poolName(), now, headers(r));
                }
            }
        }
    }

    private static List<OutboundMessage> outbound(List<Routed> routed) {
        return routed.stream().map(r -> new OutboundMessage(r.task().message().messageId(),
                r.task().message().envelope().mailFrom(), r.task().recipients(), r.content())).toList();
    }

    private void handle(Routed routed, Ipv4 ip, DeliveryResult result, Instant now) {
        DeliveryTask task = routed.task();
        Envelope env = task.message().envelope();
        Map<String, List<String>> deliveredByReply = new LinkedHashMap<>();
        Map<String, List<String>> bouncedByReply = new LinkedHashMap<>();
        List<String> retry = new ArrayList<>();
        String retryReply = null;
        for (RecipientResult r : result.recipients()) {
            if (r.reply().positive()) {
                deliveredByReply.computeIfAbsent(r.reply().toString(), k -> new ArrayList<>()).add(r.recipient());
            } else if (r.reply().permanentFailure()) {
                bouncedByReply.computeIfAbsent(r.reply().toString(), k -> new ArrayList<>()).add(r.recipient());
            } else {
                retry.add(r.recipient());
                retryReply = retryReply == null ? r.reply().toString() : retryReply;
            }
        }
        Optional<String> outgoing = Optional.of(ip.text());
        Optional<String> remote = result.remoteAddress().map(DeliveryEngine::hostOnly);
        long processing = Math.max(0, Duration.between(env.acceptedAt(), now).toMillis());
        MailHeaders headers = headers(routed);
        deliveredByReply.forEach((reply, rcpts) -> {
            events.publish(new MailEvent(io.poolmta.events.EventType.DELIVERY, now, env, rcpts, outgoing, routed.poolName(),
                    remote, Optional.of(reply), new MailEvent.Delivery(processing), routed.overflowFrom(), headers));
            rcpts.forEach(rcpt -> spool.recipientDone(env.messageId(), rcpt));
            delivered.addAndGet(rcpts.size());
        });
        bouncedByReply.forEach((reply, rcpts) -> finishBounce(task, rcpts, outgoing, remote, reply, "Permanent",
                routed.poolName(), now, headers));
        if (!retry.isEmpty()) {
            boolean throttled = result.recipients().stream().anyMatch(r -> AdaptiveThrottle.isThrottle(r.reply()));
            String delayType = throttled ? "IPFailure" : result.remoteAddress().isEmpty() ? "TransientCommunicationFailure"
                    : retryReply.startsWith("452") || retryReply.contains("4.2.2") ? "MailboxFull" : "RecipientServerError";
            defer(new DeliveryTask(task.message(), task.domain(), retry, task.attempts(), task.lastIp(), task.lastReply(),
                    task.due(), task.sequence()), Optional.of(ip), remote, retryReply, delayType, routed.poolName(), now,
                    headers);
        }
    }

    private void defer(DeliveryTask task, Optional<Ipv4> ip, Optional<String> remote, String reply, String delayType,
            String poolName, Instant now, MailHeaders headers) {
        Envelope env = task.message().envelope();
        deferred.addAndGet(task.recipients().size());
        LOG.debug("deferred {} recipient(s) of {} at {}: {}", task.recipients().size(), env.messageId(), task.domain(), reply);
        Instant next = now.plus(settings.retry().delayAfter(task.attempts() + 1));
        if (next.isAfter(env.expiresAt())) {
            next = env.expiresAt();
        }
        events.publish(new MailEvent(io.poolmta.events.EventType.DELIVERY_DELAY, now, env, task.recipients(),
                ip.map(Ipv4::text), poolName, remote, Optional.of(reply), new MailEvent.DeliveryDelay(delayType, env.expiresAt()),
                headers));
        scheduled.add(task.retry(task.recipients(), ip, shared.optional(reply), next, sequence.incrementAndGet()));
    }

    private void expire(DeliveryTask task, Instant now) {
        String reply = "554 4.4.7 Message expired after " + Duration.between(task.message().envelope().acceptedAt(),
                task.message().envelope().expiresAt()).toSeconds() + " s (MaxDeliverySeconds); last error: "
                + task.lastReply().orElse("none");
        finishBounce(task, task.recipients(), task.lastIp().map(Ipv4::text), Optional.empty(), reply, "Transient",
                task.message().envelope().poolName(), now, headers(task));
    }

    private void finishBounce(DeliveryTask task, List<String> rcpts, Optional<String> outgoingIp, Optional<String> remote,
            String reply, String bounceType, String poolName, Instant now, MailHeaders headers) {
        Envelope env = task.message().envelope();
        LOG.info("bounced {} recipient(s) of {} at {} ({}): {}", rcpts.size(), env.messageId(), task.domain(), bounceType, reply);
        events.publish(new MailEvent(io.poolmta.events.EventType.BOUNCE, now, env, rcpts, outgoingIp, poolName, remote,
                Optional.of(reply), new MailEvent.Bounce(bounceType, "General"), headers));
        rcpts.forEach(rcpt -> spool.recipientDone(env.messageId(), rcpt));
        bounced.addAndGet(rcpts.size());
    }

    /** The header summary for the events of an attempted message: from the content read for the attempt. */
    private MailHeaders headers(Routed routed) {
        return routed.content() != null ? MailHeaders.of(routed.content()) : headers(routed.task());
    }

    /**
     * The header summary for the events of a message not attempted now (no next hop, no source,
     * expired): from the first {@link #HEAD_BYTES} of its stored content, not the whole message.
     */
    private MailHeaders headers(DeliveryTask task) {
        try {
            return MailHeaders.ofHead(spool.head(task.message(), HEAD_BYTES));
        } catch (RuntimeException e) {
            LOG.warn("the header of message {} could not be read for its event: {}", task.message().messageId(), e.toString());
            return MailHeaders.UNREADABLE;
        }
    }

    private static String domainOf(String address) {
        int at = address.lastIndexOf('@');
        return (at < 0 ? address : address.substring(at + 1)).toLowerCase(Locale.ROOT);
    }

    private static String hostOnly(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        return colon > 0 ? hostPort.substring(0, colon) : hostPort;
    }

    /**
     * Stops taking due work and lets workers finish the batch they are delivering (up to 30 s), so
     * their outcomes reach the spool before it closes. Tasks not yet attempted stay in the spool
     * and are delivered after the next start.
     */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(dispatcher);
        ready.values().forEach(ReadyQueue::wakeAll);
        try {
            dispatcher.join(2000);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (activeWorkers.get() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
