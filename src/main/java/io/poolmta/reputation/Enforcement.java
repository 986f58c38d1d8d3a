package io.poolmta.reputation;

import io.poolmta.configset.ConfigurationSet;
import io.poolmta.configset.ConfigurationSetService;
import io.poolmta.configset.ReputationOptions;
import io.poolmta.events.EventTap;
import io.poolmta.events.EventType;
import io.poolmta.events.MailEvent;
import io.poolmta.pool.PoolNames;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Enforcement as SES describes it, per {@link Scope}: the bounce rate (permanent bounces over
 * sends) and the complaint rate (complaints over sends) over the {@link ReputationPolicy}'s window
 * decide the status: below the minimum volume or under the review rates HEALTHY, at or over a
 * review rate PROBATION, at or over a pause rate SHUTDOWN. PROBATION follows the rates both ways;
 * SHUTDOWN is kept (in the {@link ReputationStore}, across restarts) until {@link #reinstate}, which
 * also gives the scope a fresh start: its rates count only hours that begin at or after it.
 * <p>
 * For an account and for a configuration set, sends are SENT; a set is judged only while its
 * ReputationMetricsEnabled is on, and its LastFreshStart resets its window too. For the account's
 * use of the shared pool, sends are the recipients that left from {@code ses-shared-pool} with a
 * final outcome (delivered or bounced), since a Send event names the message's own pool. Every
 * status change is logged; a bounce or complaint event re-judges the scopes it touches, so a pause
 * takes effect with the event that crosses the threshold.
 */
public final class Enforcement implements EventTap {
    private static final Logger LOG = LoggerFactory.getLogger(Enforcement.class);

    private final ReputationCounters counters;
    private final ReputationStore store;
    private final ConfigurationSetService sets;
    private final ReputationPolicy policy;
    private final Clock clock;
    private final Map<Scope, EnforcementRecord> records = new ConcurrentHashMap<>();
    private final Map<Scope, EnforcementStatus> lastSeen = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();

    public Enforcement(
            ReputationCounters counters,
            ReputationStore store,
            ConfigurationSetService sets,
            ReputationPolicy policy,
            Clock clock) {
        this.counters = counters;
        this.store = store;
        this.sets = sets;
        this.policy = policy;
        this.clock = clock;
        for (EnforcementRecord r : store.enforcement()) {
            records.put(r.scope(), r);
            if (r.shutdownSince().isPresent()) {
                lastSeen.put(r.scope(), EnforcementStatus.SHUTDOWN);
            }
        }
    }

    public ReputationPolicy policy() {
        return policy;
    }

    @Override
    public void observe(MailEvent event) {
        if (event.type() != EventType.BOUNCE && event.type() != EventType.COMPLAINT) {
            return;
        }
        String account = event.envelope().accountId();
        standing(Scope.account(account));
        event.envelope().configurationSet().ifPresent(set -> standing(Scope.configurationSet(account, set)));
        if (PoolNames.SHARED_POOL.equals(event.poolName())) {
            standing(Scope.sharedPool(account));
        }
    }

    /**
     * A number that grows whenever a scope's status changes here (a pause, a reinstatement, a
     * status seen to differ from the last one judged): a cached standing taken at an earlier value
     * may be out of date.
     */
    public long changes() {
        return changes.get();
    }

    public EnforcementStatus status(Scope scope) {
        return standing(scope).status();
    }

    /** The scope's status now, with its figures; pauses it when a rate reached a pause threshold. */
    public Standing standing(Scope scope) {
        Instant now = clock.instant();
        EnforcementRecord record = records.getOrDefault(scope, EnforcementRecord.none(scope));
        Instant from = Granularity.HOUR.start(now.minus(policy.window()));
        Optional<Instant> freshStart = record.freshStart();
        boolean judged = true;
        if (scope.kind() == Scope.Kind.CONFIGURATION_SET) {
            Optional<ReputationOptions> options =
                    sets.find(scope.accountId(), scope.name()).map(ConfigurationSet::reputationOptions);
            judged = options.map(ReputationOptions::reputationMetricsEnabled).orElse(false);
            Optional<Instant> setFresh = options.flatMap(ReputationOptions::lastFreshStart);
            if (setFresh.isPresent() && (freshStart.isEmpty() || setFresh.get().isAfter(freshStart.get()))) {
                freshStart = setFresh;
            }
        }
        if (freshStart.isPresent()) {
            Instant fresh = Granularity.HOUR.start(freshStart.get());
            if (fresh.isBefore(freshStart.get())) {
                fresh = fresh.plus(Granularity.HOUR.length());
            }
            if (fresh.isAfter(from)) {
                from = fresh;
            }
        }
        Counts counts = counters.scopeTotal(scope, from, now.plusNanos(1));
        long sends = scope.kind() == Scope.Kind.SHARED_POOL
                ? counts.delivered() + counts.bouncedPermanent() + counts.bouncedTransient()
                : counts.sent();
        Standing computed = new Standing(
                scope,
                EnforcementStatus.HEALTHY,
                sends,
                counts.bouncedPermanent(),
                counts.complained(),
                from,
                Optional.empty(),
                "");
        EnforcementStatus status = judged ? judge(computed) : EnforcementStatus.HEALTHY;
        if (record.shutdownSince().isPresent()) {
            return new Standing(
                    scope,
                    EnforcementStatus.SHUTDOWN,
                    sends,
                    counts.bouncedPermanent(),
                    counts.complained(),
                    from,
                    record.shutdownSince(),
                    record.reason());
        }
        String reason = "";
        Optional<Instant> since = Optional.empty();
        if (status == EnforcementStatus.SHUTDOWN) {
            reason = reason(computed);
            since = Optional.of(now);
            pause(scope, now, reason);
            return standing(scope);
        }
        if (status != EnforcementStatus.HEALTHY) {
            reason = reason(computed);
        }
        changed(scope, status, reason);
        return new Standing(scope, status, sends, counts.bouncedPermanent(), counts.complained(), from, since, reason);
    }

    /** Lifts a SHUTDOWN and gives the scope a fresh start now; returns the standing after it. */
    public Standing reinstate(Scope scope) {
        Instant now = clock.instant();
        synchronized (this) {
            EnforcementRecord record = records.getOrDefault(scope, EnforcementRecord.none(scope));
            EnforcementRecord lifted = new EnforcementRecord(scope, Optional.empty(), "", Optional.of(now));
            store.saveEnforcement(lifted);
            records.put(scope, lifted);
            changes.incrementAndGet();
            LOG.info(
                    "reputation: {} of account {} reinstated by the operator (was {}); rates start afresh",
                    scope.describe(),
                    scope.accountId(),
                    record.shutdownSince().isPresent() ? "SHUTDOWN" : "not paused");
        }
        if (scope.kind() == Scope.Kind.CONFIGURATION_SET
                && sets.find(scope.accountId(), scope.name()).isPresent()) {
            sets.putLastFreshStart(scope.accountId(), scope.name(), now);
        }
        lastSeen.remove(scope);
        return standing(scope);
    }

    /**
     * Reads the stored records again, for a change another node made: a scope it paused is SHUTDOWN
     * here from now on, one it reinstated no longer is.
     */
    public synchronized void reload() {
        Map<Scope, EnforcementRecord> stored = new HashMap<>();
        for (EnforcementRecord r : store.enforcement()) {
            stored.put(r.scope(), r);
        }
        records.keySet().retainAll(stored.keySet());
        records.putAll(stored);
        for (EnforcementRecord r : stored.values()) {
            if (r.shutdownSince().isPresent()) {
                lastSeen.put(r.scope(), EnforcementStatus.SHUTDOWN);
            } else {
                lastSeen.remove(r.scope(), EnforcementStatus.SHUTDOWN);
            }
        }
    }

    /** Every scope PoolMTA holds a record of or saw leave HEALTHY, with its standing now. */
    public List<Standing> notHealthy() {
        List<Standing> out = new ArrayList<>();
        Set<Scope> seen = new HashSet<>(records.keySet());
        seen.addAll(lastSeen.keySet());
        for (Scope scope : seen) {
            Standing s = standing(scope);
            if (s.status() != EnforcementStatus.HEALTHY) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparing((Standing s) -> s.scope().accountId())
                .thenComparing(s -> s.scope().kind())
                .thenComparing(s -> s.scope().name()));
        return out;
    }

    private EnforcementStatus judge(Standing s) {
        if (s.sends() < policy.minimumSends()) {
            return EnforcementStatus.HEALTHY;
        }
        if (s.bounceRate() >= policy.bouncePauseRate() || s.complaintRate() >= policy.complaintPauseRate()) {
            return EnforcementStatus.SHUTDOWN;
        }
        if (s.bounceRate() >= policy.bounceReviewRate() || s.complaintRate() >= policy.complaintReviewRate()) {
            return EnforcementStatus.PROBATION;
        }
        return EnforcementStatus.HEALTHY;
    }

    private String reason(Standing s) {
        return String.format(
                Locale.ROOT,
                "bounce rate %.2f %% (%d of %d), complaint rate %.3f %% (%d of %d) since %s;"
                        + " review at %.2f %% / %.3f %%, pause at %.2f %% / %.3f %%",
                s.bounceRate() * 100,
                s.permanentBounces(),
                s.sends(),
                s.complaintRate() * 100,
                s.complaints(),
                s.sends(),
                s.windowStart(),
                policy.bounceReviewRate() * 100,
                policy.complaintReviewRate() * 100,
                policy.bouncePauseRate() * 100,
                policy.complaintPauseRate() * 100);
    }

    private synchronized void pause(Scope scope, Instant now, String reason) {
        EnforcementRecord record = records.getOrDefault(scope, EnforcementRecord.none(scope));
        if (record.shutdownSince().isPresent()) {
            return;
        }
        EnforcementRecord paused = new EnforcementRecord(scope, Optional.of(now), reason, record.freshStart());
        store.saveEnforcement(paused);
        records.put(scope, paused);
        lastSeen.put(scope, EnforcementStatus.SHUTDOWN);
        changes.incrementAndGet();
        LOG.warn(
                "reputation: {} of account {} is SHUTDOWN until the operator reinstates it: {}",
                scope.describe(),
                scope.accountId(),
                reason);
    }

    private void changed(Scope scope, EnforcementStatus status, String reason) {
        EnforcementStatus before =
                status == EnforcementStatus.HEALTHY ? lastSeen.remove(scope) : lastSeen.put(scope, status);
        if (before == null ? status != EnforcementStatus.HEALTHY : before != status) {
            changes.incrementAndGet();
            LOG.warn(
                    "reputation: {} of account {} is now {}{}",
                    scope.describe(),
                    scope.accountId(),
                    status,
                    reason.isEmpty() ? "" : ": " + reason);
        }
    }
}
