package io.poolmta.delivery;

import io.poolmta.delivery.smtp.SmtpTransport;
import io.poolmta.egress.SourceSelector;
import io.poolmta.events.EventPublisher;
import io.poolmta.nexthop.NextHopResolver;
import io.poolmta.provider.ProviderTable;
import io.poolmta.sending.DeliveryQueue;
import io.poolmta.spool.Spool;
import io.poolmta.spool.StoredMessage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The delivery engine (docs/ARCHITECTURE.md): wires the jobs Postfix's qmgr and KumoMTA's kumod
 * keep apart, and runs the dispatcher thread.
 * <ul>
 *   <li><b>When</b>: every (message, destination domain) is a task in one {@link ScheduledQueue}
 *       ordered by due time (the injected clock's time); a task past its message's expiry bounces
 *       instead (Transient).</li>
 *   <li><b>Where from</b>: the dispatcher takes due tasks and asks the {@link EgressRouter} for
 *       the egress decision: next hop, provider, source, throttle pause, hourly cap.</li>
 *   <li><b>Which node</b>: a message whose pool has no address on this node is handed over to
 *       a node of the cluster that holds some ({@link HandOvers}, through {@link NodeHandOver}).</li>
 *   <li><b>How fast</b>: a routed task joins the {@link ReadyQueue} of its {@link EgressPath},
 *       served by the path's connections ({@link PathConnections}).</li>
 *   <li><b>What it means</b>: 2xx → Delivery event; 5xx → permanent Bounce; 4xx → DeliveryDelay
 *       event and a retry after the policy's backoff, never later than the expiry
 *       ({@link OutcomeClassifier}, {@link OutcomeRecorder}).</li>
 * </ul>
 */
public final class DeliveryEngine implements DeliveryQueue, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryEngine.class);
    /**
     * How long the dispatcher, woken by a newly accepted message, waits for more before it routes:
     * under load it then routes a handful of messages per wake-up, and the delivery connections
     * get them together, instead of one thread hand-off after another for every message.
     */
    static final Duration DISPATCH_GATHER = Duration.ofMillis(1);
    /**
     * How long the dispatcher sleeps while nothing at all is scheduled: a new message wakes it at
     * once, so this only bounds how late it notices a task put back by a delivery connection
     * (due minutes later anyway). An idle server wakes once a second instead of every tick.
     */
    static final Duration IDLE_PARK = Duration.ofSeconds(1);

    private final DeliverySettings settings;
    private final Clock clock;
    private final AdaptiveThrottle throttle;
    private final ScheduledQueue scheduled;
    private final OutcomeRecorder outcomes;
    private final EgressRouter router;
    private final PathConnections connections;
    private final HandOvers handOvers;
    private final AtomicBoolean wakeRequested = new AtomicBoolean();
    private final Thread dispatcher;
    private volatile boolean running = true;

    public DeliveryEngine(
            Spool spool,
            SmtpTransport transport,
            NextHopResolver resolver,
            SourceSelector selector,
            EventPublisher events,
            ProviderTable providers,
            DeliverySettings settings,
            Clock clock) {
        this(spool, transport, resolver, selector, events, providers, settings, clock, NodeHandOver.NONE);
    }

    /** The same on a node of a cluster: mail of pools with no address here goes to {@code nodes}. */
    public DeliveryEngine(
            Spool spool,
            SmtpTransport transport,
            NextHopResolver resolver,
            SourceSelector selector,
            EventPublisher events,
            ProviderTable providers,
            DeliverySettings settings,
            Clock clock,
            NodeHandOver nodes) {
        this(
                spool,
                transport,
                resolver,
                selector,
                events,
                providers,
                settings,
                clock,
                PathConnections.PLATFORM_THREADS,
                nodes);
    }

    /** The same, with connections run by {@code starter} (a test runs them by hand). */
    DeliveryEngine(
            Spool spool,
            SmtpTransport transport,
            NextHopResolver resolver,
            SourceSelector selector,
            EventPublisher events,
            ProviderTable providers,
            DeliverySettings settings,
            Clock clock,
            PathConnections.Starter starter) {
        this(spool, transport, resolver, selector, events, providers, settings, clock, starter, NodeHandOver.NONE);
    }

    private DeliveryEngine(
            Spool spool,
            SmtpTransport transport,
            NextHopResolver resolver,
            SourceSelector selector,
            EventPublisher events,
            ProviderTable providers,
            DeliverySettings settings,
            Clock clock,
            PathConnections.Starter starter,
            NodeHandOver nodes) {
        this.settings = settings;
        this.clock = clock;
        this.throttle = new AdaptiveThrottle(providers);
        this.scheduled = new ScheduledQueue(settings.retry(), new Dispatch());
        this.outcomes = new OutcomeRecorder(spool, events, scheduled);
        this.router = new EgressRouter(resolver, selector, providers, throttle);
        this.handOvers = new HandOvers(spool, nodes, outcomes, clock);
        this.connections = new PathConnections(
                spool, transport, throttle, providers, settings, router, scheduled, outcomes, clock, starter);
        this.dispatcher =
                Thread.ofPlatform().name("delivery-dispatcher").daemon().unstarted(this::dispatchLoop);
    }

    public void start() {
        dispatcher.start();
    }

    /** Queues every recipient of an accepted (spooled) message for delivery now. */
    @Override
    public void submit(StoredMessage message) {
        scheduled.add(message, clock.instant());
        if (wakeRequested.compareAndSet(false, true)) { // later ones join the gathering round
            LockSupport.unpark(dispatcher);
        }
    }

    /**
     * Queues a message another node of the cluster handed over (already in this spool), all due
     * now: the backoff goes on from the {@code attempts} made there, and it is never handed over
     * again.
     */
    public void submitHandedOver(StoredMessage message, int attempts) {
        scheduled.add(message, clock.instant(), attempts, true);
        LockSupport.unpark(dispatcher);
    }

    /** Queues messages read back from the spool, all due now (one clock reading for all of them). */
    public void submitAll(List<StoredMessage> messages) {
        Instant now = clock.instant();
        messages.forEach(m -> scheduled.add(m, now));
        LockSupport.unpark(dispatcher);
    }

    /** Recipients delivered since start. */
    public long delivered() {
        return outcomes.delivered();
    }

    public long bounced() {
        return outcomes.bounced();
    }

    /** Temporary failures (attempts that will be retried or expire). */
    public long deferred() {
        return outcomes.deferred();
    }

    /** Tasks waiting in the scheduled queue, a ready queue or for a hand-over to another node. */
    public int queued() {
        return scheduled.size() + connections.queued() + handOvers.inFlight();
    }

    /** Recipients handed over to other nodes of the cluster since start. */
    public long handedOver() {
        return handOvers.handedOver();
    }

    /** Each (source IP, provider) throttle's state now. */
    public List<AdaptiveThrottle.Snapshot> throttles() {
        return throttle.snapshot(clock.instant());
    }

    /** One step of the dispatcher: routes every task due at {@code now}, bounces the expired ones. */
    void dispatchDue(Instant now) {
        scheduled.dispatchDue(now);
    }

    private void dispatchLoop() {
        while (running) {
            if (wakeRequested.get()) {
                LockSupport.parkNanos(DISPATCH_GATHER.toNanos());
                wakeRequested.set(false); // from here on a new message wakes the dispatcher again
            }
            try {
                dispatchDue(clock.instant());
            } catch (RuntimeException e) {
                LOG.error("delivery dispatcher failed; continuing", e);
            }
            LockSupport.parkNanos(
                    scheduled.size() == 0
                            ? IDLE_PARK.toNanos()
                            : settings.tick().toNanos());
        }
    }

    /** Where the scheduled queue sends due tasks: the egress decision, then a ready queue or an outcome. */
    private final class Dispatch implements ScheduledQueue.Target {
        @Override
        public void expired(DeliveryTask task, Instant now) {
            outcomes.expired(task, now);
        }

        @Override
        public void due(DeliveryTask task, Instant now) {
            String poolName = task.message().envelope().poolName();
            switch (router.decide(task, now)) {
                case EgressDecision.Routed routed -> connections.offer(task, routed);
                case EgressDecision.HandOver handOver -> handOvers.offer(task, handOver.node());
                case EgressDecision.HoldBack hold -> scheduled.holdBack(task, hold.until(), Optional.of(hold.reason()));
                case EgressDecision.Defer defer ->
                    outcomes.defer(
                            task, Optional.empty(), Optional.empty(), defer.reply(), defer.delayType(), poolName, now);
                case EgressDecision.Bounce bounce ->
                    outcomes.bounce(
                            task,
                            task.recipients(),
                            Optional.empty(),
                            Optional.empty(),
                            bounce.reply(),
                            bounce.bounceType(),
                            poolName,
                            now);
            }
        }
    }

    /**
     * Stops taking due work and lets connections finish the batch they are delivering (up to 30 s),
     * so their outcomes reach the spool before it closes. Tasks not yet attempted stay in the spool
     * and are delivered after the next start.
     */
    @Override
    public void close() {
        running = false;
        LockSupport.unpark(dispatcher);
        connections.close();
        try {
            dispatcher.join(2000);
            handOvers.close();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (connections.active() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
