package io.poolmta.managed;

import io.poolmta.account.Account;
import io.poolmta.account.AccountService;
import io.poolmta.common.Leadership;
import io.poolmta.common.PoolMtaException;
import io.poolmta.common.Transactions;
import io.poolmta.ip.IpRole;
import io.poolmta.ip.IpStore;
import io.poolmta.ip.SendingIp;
import io.poolmta.pool.DedicatedIpPool;
import io.poolmta.pool.PoolStore;
import io.poolmta.pool.ScalingMode;
import io.poolmta.warmup.WarmupState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Sizes managed pools from the operator's reserve ({@link IpRole#RESERVE}):
 * <ul>
 *   <li><b>first IP</b>: a managed pool with no IPs gets one when mail is accepted for it
 *       ({@link #provisionFirstIp}); with an empty reserve the message is refused (NotFound).</li>
 *   <li><b>scale out</b> ({@link #runOnce}): a pool for which source selection missed a provider
 *       since the last pass (its demand exceeded what the pool's IPs may still send it today) takes
 *       one reserve IP, up to {@link ScalingPolicy#maxIps()}.</li>
 *   <li><b>scale in</b>: an IP that sent nothing to any provider for
 *       {@link ScalingPolicy#idleDaysBeforeRelease()} days (counted from when it joined the pool)
 *       goes back to the reserve, keeping at least {@link ScalingPolicy#minIps()}.</li>
 * </ul>
 * An allocated IP becomes DEDICATED to the pool's account, in the pool; its standard warm-up anchor
 * records when it joined (managed IPs have no standard warm-up). Each change is one transaction;
 * an empty reserve is not an error during a pass (the pool keeps waiting and overflowing).
 * <p>
 * In a cluster the pass is taken once for all nodes: by the node that holds the {@link #TASK}
 * lease ({@link Leadership}). The others hand their unmet demand to it through the
 * {@link ManagedDemandStore}, and an IP's last active day is read from the database as well, since
 * the IP may send from another node.
 */
public final class ManagedPoolScaler {
    /** The name of the scaling pass's lease. */
    public static final String TASK = "managed-pool-scaling";

    private final AccountService accounts;
    private final PoolStore pools;
    private final IpStore ips;
    private final ProviderWarmupLedger ledger;
    private final ManagedDemand demand;
    private final ScalingPolicy policy;
    private final Transactions tx;
    private final Clock clock;
    private final Leadership leadership;
    private final ManagedDemandStore sharedDemand;

    public ManagedPoolScaler(
            AccountService accounts,
            PoolStore pools,
            IpStore ips,
            ProviderWarmupLedger ledger,
            ManagedDemand demand,
            ScalingPolicy policy,
            Transactions tx,
            Clock clock) {
        this(accounts, pools, ips, ledger, demand, policy, tx, clock, Leadership.SOLE, ManagedDemandStore.NONE);
    }

    public ManagedPoolScaler(
            AccountService accounts,
            PoolStore pools,
            IpStore ips,
            ProviderWarmupLedger ledger,
            ManagedDemand demand,
            ScalingPolicy policy,
            Transactions tx,
            Clock clock,
            Leadership leadership,
            ManagedDemandStore sharedDemand) {
        this.accounts = accounts;
        this.pools = pools;
        this.ips = ips;
        this.ledger = ledger;
        this.demand = demand;
        this.policy = policy;
        this.tx = tx;
        this.clock = clock;
        this.leadership = leadership;
        this.sharedDemand = sharedDemand;
    }

    public ScalingPolicy policy() {
        return policy;
    }

    /**
     * Gives an empty MANAGED pool its first IP. False when the pool is not a managed pool (nothing
     * to do); throws NotFound when it is one and the reserve is empty.
     */
    public synchronized boolean provisionFirstIp(String accountId, String poolName) {
        Optional<DedicatedIpPool> pool = pools.get(accountId, poolName);
        if (pool.isEmpty() || pool.get().scalingMode() != ScalingMode.MANAGED) {
            return false;
        }
        return tx.write(() -> {
            if (!ips.inPool(accountId, poolName).isEmpty()) {
                return true;
            }
            if (allocate(accountId, poolName).isEmpty()) {
                throw PoolMtaException.notFound(
                        "Managed pool " + poolName + " has no IPs yet and the operator's reserve"
                                + " is empty: no IP can be allocated to it. Ask the operator to add reserve IPs"
                                + " (poolmta ip add IP --reserve).");
            }
            return true;
        });
    }

    /**
     * One scaling pass over every managed pool; the changes it made. A node without the lease hands
     * its unmet demand to the one with it and changes nothing.
     */
    public synchronized List<ScalingChange> runOnce() {
        List<ScalingChange> changes = new ArrayList<>();
        if (!leadership.holds(TASK)) {
            sharedDemand.add(demand.drain());
            return changes;
        }
        Map<ManagedDemand.Key, Long> misses = new LinkedHashMap<>(demand.drain());
        sharedDemand.takeAll().forEach((key, count) -> misses.merge(key, count, Long::sum));
        Set<String> grown = new HashSet<>();
        for (Map.Entry<ManagedDemand.Key, Long> miss : misses.entrySet()) {
            ManagedDemand.Key key = miss.getKey();
            String poolKey = key.accountId() + "/" + key.pool();
            if (!grown.add(poolKey)) {
                continue;
            }
            tx.run(() -> {
                Optional<DedicatedIpPool> pool = pools.get(key.accountId(), key.pool());
                if (pool.isEmpty()
                        || pool.get().scalingMode() != ScalingMode.MANAGED
                        || ips.inPool(key.accountId(), key.pool()).size() >= policy.maxIps()) {
                    return;
                }
                allocate(key.accountId(), key.pool())
                        .ifPresent(ip -> changes.add(new ScalingChange(
                                ScalingChange.Direction.OUT,
                                key.accountId(),
                                key.pool(),
                                ip.address().text(),
                                miss.getValue() + " message(s) to " + key.provider()
                                        + " found no IP with room today")));
            });
        }
        long today = ProviderWarmupLedger.day(clock.instant());
        for (Account account : accounts.all()) {
            for (DedicatedIpPool pool : pools.ofAccount(account.id())) {
                if (pool.scalingMode() != ScalingMode.MANAGED || grown.contains(account.id() + "/" + pool.name())) {
                    continue;
                }
                tx.run(() -> releaseIdle(pool, today, changes));
            }
        }
        return changes;
    }

    private void releaseIdle(DedicatedIpPool pool, long today, List<ScalingChange> changes) {
        List<SendingIp> members = ips.inPool(pool.accountId(), pool.name());
        int count = members.size();
        List<SendingIp> idleFirst = members.stream()
                .sorted(Comparator.comparingLong((SendingIp ip) -> lastActive(ip))
                        .thenComparing(SendingIp::address))
                .toList();
        for (SendingIp ip : idleFirst) {
            long idleDays = today - lastActive(ip);
            if (count <= policy.minIps() || idleDays < policy.idleDaysBeforeRelease()) {
                return;
            }
            ips.update(ip.releasedToReserve());
            count--;
            changes.add(new ScalingChange(
                    ScalingChange.Direction.IN,
                    pool.accountId(),
                    pool.name(),
                    ip.address().text(),
                    "sent nothing for " + idleDays + " day(s)"));
        }
    }

    /** The last day the IP sent anything, or the day it joined the pool if later. */
    private long lastActive(SendingIp ip) {
        return Math.max(
                ledger.lastActiveDayInCluster(ip.address().text()),
                ProviderWarmupLedger.day(ip.warmup().anchor()));
    }

    /** Moves the lowest reserve address into the pool; empty when the reserve is empty. Inside a transaction. */
    private Optional<SendingIp> allocate(String accountId, String poolName) {
        Instant now = clock.instant();
        return ips.all().stream()
                .filter(ip -> ip.role() == IpRole.RESERVE)
                .min(Comparator.comparing(SendingIp::address))
                .map(reserve -> {
                    SendingIp leased = new SendingIp(
                            reserve.address(),
                            IpRole.DEDICATED,
                            Optional.of(accountId),
                            Optional.of(poolName),
                            reserve.ehloName(),
                            WarmupState.startingAt(now),
                            reserve.addedAt(),
                            reserve.node());
                    ips.update(leased);
                    return leased;
                });
    }
}
