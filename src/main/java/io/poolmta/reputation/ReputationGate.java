package io.poolmta.reputation;

import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import io.poolmta.pool.PoolNames;
import io.poolmta.sending.SendingGate;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Enforcement at acceptance. An account or configuration set in SHUTDOWN may not send
 * (SENDING_PAUSED: API SendingPausedException, SMTP 554 5.7.1). A message for the shared pool
 * (named, or the default pool of an account without dedicated IPs) from an account whose
 * shared-pool standing is SHUTDOWN is refused (MESSAGE_REJECTED: API MessageRejected, SMTP 554);
 * under PROBATION there, the account may send at most the policy's shared-pool review rate
 * (messages per second, a token bucket on the server's clock) through it, and the rest is refused
 * with TOO_MANY_REQUESTS (API 429, SMTP 451: try again later). Other accounts' shared-pool mail is
 * not affected. Mail already queued is delivered.
 * <p>
 * Acceptance does O(1) work here: each scope's standing is cached and taken again when
 * {@link Enforcement#changes()} moved (a pause, a reinstatement, a status change the events
 * caused, all of which then act on the next message) or when it is older than {@link #MAX_AGE}
 * on the clock (rates that only sends or the sliding window moved, and set options: at most that
 * late).
 */
public final class ReputationGate implements SendingGate {
    /** How long a cached standing is used while Enforcement reports no change. */
    public static final Duration MAX_AGE = Duration.ofSeconds(1);

    private static final int MAX_CACHED = 100_000;

    /** A standing as taken at {@code changes} (Enforcement's count) and {@code takenMillis}. */
    private record Cached(Standing standing, long changes, long takenMillis) {}

    private final Enforcement enforcement;
    private final Predicate<String> hasDedicatedIps;
    private final Clock clock;
    private final Map<String, double[]> buckets = new ConcurrentHashMap<>();
    private final Map<Scope, Cached> standings = new ConcurrentHashMap<>();

    /** @param hasDedicatedIps whether an account (by id) has dedicated IPs of its own */
    public ReputationGate(Enforcement enforcement, Predicate<String> hasDedicatedIps, Clock clock) {
        this.enforcement = enforcement;
        this.hasDedicatedIps = hasDedicatedIps;
        this.clock = clock;
    }

    @Override
    public void check(String accountId, Optional<String> configurationSet, String pool) {
        Standing account = standing(Scope.account(accountId));
        if (account.status() == EnforcementStatus.SHUTDOWN) {
            throw new PoolMtaException(
                    ErrorKind.SENDING_PAUSED,
                    "Sending is paused for this account by reputation enforcement (" + account.reason()
                            + "). The operator lifts the pause with: poolmta account reinstate ACCOUNT.");
        }
        if (configurationSet.isPresent()) {
            Standing set = standing(Scope.configurationSet(accountId, configurationSet.get()));
            if (set.status() == EnforcementStatus.SHUTDOWN) {
                throw new PoolMtaException(
                        ErrorKind.SENDING_PAUSED,
                        "Sending is paused for configuration set " + configurationSet.get()
                                + " by reputation enforcement (" + set.reason()
                                + "). The operator lifts the pause with: poolmta account reinstate ACCOUNT"
                                + " --configuration-set " + configurationSet.get() + ".");
            }
        }
        Standing shared = standing(Scope.sharedPool(accountId));
        if (shared.status() == EnforcementStatus.HEALTHY || !leavesFromSharedPool(accountId, pool)) {
            return;
        }
        if (shared.status() == EnforcementStatus.SHUTDOWN) {
            throw new PoolMtaException(
                    ErrorKind.MESSAGE_REJECTED,
                    "This account may no longer send through ses-shared-pool: its rates there reached the pause"
                            + " threshold (" + shared.reason() + "). Send through a dedicated pool, or ask the"
                            + " operator to reinstate it: poolmta account reinstate ACCOUNT --shared-pool.");
        }
        if (!takeToken(accountId)) {
            throw new PoolMtaException(
                    ErrorKind.TOO_MANY_REQUESTS,
                    "This account's mail on ses-shared-pool is slowed to "
                            + enforcement.policy().sharedPoolReviewSendRate()
                            + " message(s) per second while its rates there are under review (" + shared.reason()
                            + "). Try again later.");
        }
    }

    /** The scope's standing, from the cache while it is current (see the class comment). */
    private Standing standing(Scope scope) {
        long changes = enforcement.changes(); // read first: a change while computing makes the entry stale
        long now = clock.millis();
        Cached cached = standings.get(scope);
        if (cached != null
                && cached.changes() == changes
                && now >= cached.takenMillis()
                && now - cached.takenMillis() < MAX_AGE.toMillis()) {
            return cached.standing();
        }
        Standing standing = enforcement.standing(scope);
        if (standings.size() >= MAX_CACHED) {
            standings.clear(); // scopes of deleted sets and idle accounts: cheap to take again
        }
        standings.put(scope, new Cached(standing, changes, now));
        return standing;
    }

    private boolean leavesFromSharedPool(String accountId, String pool) {
        return PoolNames.SHARED_POOL.equals(pool)
                || (PoolNames.DEFAULT_POOL.equals(pool) && !hasDedicatedIps.test(accountId));
    }

    /** One token per message; the bucket holds at most max(1, rate) and refills at the rate. */
    private boolean takeToken(String accountId) {
        double rate = enforcement.policy().sharedPoolReviewSendRate();
        double capacity = Math.max(1, rate);
        double now = clock.millis() / 1000.0;
        double[] bucket = buckets.computeIfAbsent(accountId, a -> new double[] {capacity, now});
        synchronized (bucket) {
            bucket[0] = Math.min(capacity, bucket[0] + (now - bucket[1]) * rate);
            bucket[1] = now;
            if (bucket[0] >= 1) {
                bucket[0] -= 1;
                return true;
            }
            return false;
        }
    }
}
