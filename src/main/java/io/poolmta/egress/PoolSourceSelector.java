package io.poolmta.egress;

import io.poolmta.ip.IpRole;
import io.poolmta.ip.IpStore;
import io.poolmta.ip.Ipv4;
import io.poolmta.ip.NodeDirectory;
import io.poolmta.ip.NodeStatus;
import io.poolmta.ip.SendingIp;
import io.poolmta.ip.SingleNode;
import io.poolmta.managed.ManagedDemand;
import io.poolmta.managed.ProviderWarmupLedger;
import io.poolmta.message.Envelope;
import io.poolmta.pool.PoolNames;
import io.poolmta.pool.PoolStore;
import io.poolmta.pool.ScalingMode;
import io.poolmta.provider.ProviderTable;
import io.poolmta.warmup.WarmupPlan;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Picks an address of the message's pool and never of another dedicated pool:
 * <ul>
 *   <li>a named pool: its IPs; {@code ses-default-dedicated-pool}: the account's dedicated IPs in
 *       no pool (an account with no dedicated IPs at all sends from the shared pool, as in SES);
 *       {@code ses-shared-pool}: the operator's shared IPs.</li>
 *   <li>Warm-up is a cap: a standard IP still warming takes at most its plan day's cap
 *       ({@link WarmupPlan#dailyCap}); DONE IPs and shared IPs have none.</li>
 *   <li>A MANAGED pool's IPs are capped per provider ({@link ProviderWarmupLedger}): the message
 *       leaves from an IP with room for its provider today (its previous IP first). When none has
 *       room the miss is counted ({@link ManagedDemand}, which makes the pool scale out); while every
 *       IP of the pool is young with that provider the message overflows to {@code ses-shared-pool}
 *       (marked like standard overflow), otherwise it waits ({@code Delay}) for
 *       {@link #MANAGED_RECHECK} (a scale-out may have added room) or the next day, whichever is first.</li>
 *   <li>Order of preference: the address an earlier attempt used (a message keeps its IP while the
 *       IP stays in the pool and has room), then warming IPs with room, then DONE IPs, each list
 *       rotated by message id so mail spreads over the pool.</li>
 *   <li>When every address of the pool is at its cap: an account still on its first dedicated IPs
 *       (none of them DONE) overflows to {@code ses-shared-pool}, marked in events; otherwise the
 *       message waits ({@code Delay}) until the earliest cap renews. Never another dedicated pool.</li>
 *   <li>In a cluster ({@link NodeDirectory}) each address belongs to the node that binds it, and
 *       everything above looks only at this node's addresses of the pool, the shared-pool overflow
 *       included. A pool with no address on this node is answered {@code HandOver} to a node that
 *       holds some of its addresses and is up (spread by message id), or {@code NoSources} while all
 *       such nodes are down (the message is deferred, never sent from another pool). A pool with
 *       addresses here never hands over, even when their warm-up caps are reached: caps are counted
 *       per address on its own node, so this node cannot know whether another node's addresses have
 *       room, and handing capped mail around would move it back and forth between capped nodes.</li>
 * </ul>
 */
public final class PoolSourceSelector implements SourceSelector {
    private static final Duration DAY = Duration.ofDays(1);
    /** How long a managed pool's message waits before selection tries again after a miss. */
    public static final Duration MANAGED_RECHECK = Duration.ofMinutes(10);

    private final IpStore ips;
    private final ProviderTable providers;
    private final PoolStore pools;
    private final WarmupPlan plan;
    private final SendVolume volume;
    private final ProviderWarmupLedger providerWarmup;
    private final ManagedDemand demand;
    private final NodeDirectory nodes;
    private final Clock clock;

    public PoolSourceSelector(
            IpStore ips,
            PoolStore pools,
            WarmupPlan plan,
            SendVolume volume,
            ProviderWarmupLedger providerWarmup,
            ManagedDemand demand,
            ProviderTable providers,
            Clock clock) {
        this(ips, pools, plan, volume, providerWarmup, demand, providers, new SingleNode("local"), clock);
    }

    /** The same, on one node of a cluster: only {@code nodes}' local addresses are sent from. */
    public PoolSourceSelector(
            IpStore ips,
            PoolStore pools,
            WarmupPlan plan,
            SendVolume volume,
            ProviderWarmupLedger providerWarmup,
            ManagedDemand demand,
            ProviderTable providers,
            NodeDirectory nodes,
            Clock clock) {
        this.nodes = nodes;
        this.providers = providers;
        this.ips = ips;
        this.pools = pools;
        this.plan = plan;
        this.volume = volume;
        this.providerWarmup = providerWarmup;
        this.demand = demand;
        this.clock = clock;
    }

    @Override
    public SourceSelection select(
            Envelope envelope, String destinationDomain, String provider, Optional<Ipv4> previous) {
        Candidates everywhere = candidates(envelope.accountId(), envelope.poolName());
        if (everywhere.ips().isEmpty()) {
            return new SourceSelection.NoSources("pool " + envelope.poolName() + " has no IPs");
        }
        Candidates candidates = everywhere.local(nodes);
        if (candidates.ips().isEmpty()) {
            return elsewhere(envelope, everywhere);
        }
        Instant now = clock.instant();
        int spread =
                Math.floorMod(envelope.messageId().hashCode(), candidates.ips().size());
        if (candidates.managed()) {
            return selectManaged(envelope, provider, previous, candidates, spread, now);
        }
        if (previous.isPresent()) {
            for (SendingIp ip : candidates.ips()) {
                if (ip.address().equals(previous.get()) && take(ip, candidates.managed(), provider, now)) {
                    return selected(ip, candidates.pool(), Optional.empty());
                }
            }
        }
        List<SendingIp> warming = new ArrayList<>();
        List<SendingIp> warm = new ArrayList<>();
        for (SendingIp ip : rotate(candidates.ips(), spread)) {
            (cap(ip, candidates.managed(), now).isPresent() ? warming : warm).add(ip);
        }
        for (SendingIp ip : warming) {
            if (take(ip, candidates.managed(), provider, now)) {
                return selected(ip, candidates.pool(), Optional.empty());
            }
        }
        if (!warm.isEmpty()) {
            return selected(warm.getFirst(), candidates.pool(), Optional.empty());
        }
        if (!PoolNames.SHARED_POOL.equals(candidates.pool()) && onFirstDedicatedIps(envelope.accountId(), now)) {
            List<SendingIp> shared = localShared();
            if (!shared.isEmpty()) {
                SendingIp ip = shared.get(Math.floorMod(envelope.messageId().hashCode(), shared.size()));
                return selected(ip, PoolNames.SHARED_POOL, Optional.of(candidates.pool()));
            }
        }
        Instant renews = warming.stream()
                .map(ip -> plan.dayEnds(ip.warmup(), now))
                .min(Comparator.naturalOrder())
                .orElse(now.plus(DAY));
        return new SourceSelection.Delay(
                renews, "warm-up caps of every IP in pool " + candidates.pool() + " are reached");
    }

    private SourceSelection selectManaged(
            Envelope envelope,
            String provider,
            Optional<Ipv4> previous,
            Candidates candidates,
            int spread,
            Instant now) {
        List<SendingIp> order = new ArrayList<>();
        previous.flatMap(p -> candidates.ips().stream()
                        .filter(ip -> ip.address().equals(p))
                        .findFirst())
                .ifPresent(order::add);
        rotate(candidates.ips(), spread).stream()
                .filter(ip -> !order.contains(ip))
                .forEach(order::add);
        for (SendingIp ip : order) {
            if (providerWarmup.tryTake(ip.address().text(), provider)) {
                return selected(ip, candidates.pool(), Optional.empty());
            }
        }
        demand.recordMiss(envelope.accountId(), candidates.pool(), provider);
        boolean young = candidates.ips().stream()
                .allMatch(ip -> providerWarmup
                        .model()
                        .young(providerWarmup
                                .current(ip.address().text(), provider)
                                .level()));
        if (young) {
            List<SendingIp> shared = localShared();
            if (!shared.isEmpty()) {
                SendingIp ip = shared.get(Math.floorMod(envelope.messageId().hashCode(), shared.size()));
                return selected(ip, PoolNames.SHARED_POOL, Optional.of(candidates.pool()));
            }
        }
        Instant dayEnds = providerWarmup.dayEnds();
        Instant recheck = now.plus(MANAGED_RECHECK);
        return new SourceSelection.Delay(
                recheck.isBefore(dayEnds) ? recheck : dayEnds,
                "no IP of managed pool " + candidates.pool() + " has room for " + provider
                        + " today; waiting for the pool to scale out");
    }

    @Override
    public void cancel(Envelope envelope, SourceSelection.Selected selection, String provider) {
        Instant now = clock.instant();
        ips.byAddress(selection.source().ip()).ifPresent(ip -> {
            boolean managed = ip.poolName()
                    .flatMap(p -> pools.get(envelope.accountId(), p))
                    .map(p -> p.scalingMode() == ScalingMode.MANAGED)
                    .orElse(false);
            if (managed && ip.role() == IpRole.DEDICATED) {
                providerWarmup.giveBack(ip.address().text(), provider);
            } else {
                OptionalLong cap = cap(ip, managed, now);
                if (cap.isPresent()) {
                    Instant window = plan.dayEnds(ip.warmup(), now).minus(DAY);
                    volume.remove(ip.address().text(), window);
                    if (providerCap(cap.getAsLong(), provider).isPresent()) {
                        volume.remove(providerKey(ip, provider), window);
                    }
                }
            }
        });
    }

    @Override
    public boolean hasSources(String accountId, String poolName) {
        return !candidates(accountId, poolName).ips().isEmpty();
    }

    private record Candidates(String pool, List<SendingIp> ips, boolean managed) {
        /** The same, with only the addresses this node can send from. */
        Candidates local(NodeDirectory nodes) {
            List<SendingIp> local = ips.stream()
                    .filter(ip -> nodes.isLocal(ip.address().text()))
                    .toList();
            return local.size() == ips.size() ? this : new Candidates(pool, local, managed);
        }
    }

    /**
     * A pool with no address on this node: hand the message over to a node that holds some and is
     * up (the same node for the same message while it stays up), else defer it.
     */
    private SourceSelection elsewhere(Envelope envelope, Candidates everywhere) {
        Set<String> holders = new HashSet<>();
        for (SendingIp ip : everywhere.ips()) {
            nodes.nodeOf(ip.address().text()).ifPresent(holders::add);
        }
        List<String> up = nodes.nodes().stream()
                .filter(n -> n.up() && n.linkAddress().isPresent() && holders.contains(n.name()))
                .map(NodeStatus::name)
                .sorted()
                .toList();
        if (up.isEmpty()) {
            return new SourceSelection.NoSources("pool " + everywhere.pool() + " has no IP on node " + nodes.self()
                    + " and the nodes holding its IPs "
                    + holders.stream().sorted().toList() + " are down");
        }
        return new SourceSelection.HandOver(
                up.get(Math.floorMod(envelope.messageId().hashCode(), up.size())));
    }

    private Candidates candidates(String accountId, String poolName) {
        List<SendingIp> selected;
        String pool = poolName;
        boolean managed = false;
        if (PoolNames.SHARED_POOL.equals(poolName)) {
            selected = shared();
        } else if (PoolNames.DEFAULT_POOL.equals(poolName)) {
            List<SendingIp> dedicated = ips.ofAccount(accountId);
            if (dedicated.isEmpty()) {
                selected = shared();
                pool = PoolNames.SHARED_POOL;
            } else {
                selected =
                        dedicated.stream().filter(ip -> ip.poolName().isEmpty()).toList();
            }
        } else {
            selected = ips.inPool(accountId, poolName);
            managed = pools.get(accountId, poolName)
                    .map(p -> p.scalingMode() == ScalingMode.MANAGED)
                    .orElse(false);
        }
        return new Candidates(pool, selected, managed); // the store lists IPs in address order
    }

    /** The IP's cap today; empty for IPs without a standard warm-up cap. */
    private OptionalLong cap(SendingIp ip, boolean managedPool, Instant now) {
        if (ip.role() != IpRole.DEDICATED || managedPool) {
            return OptionalLong.empty();
        }
        return plan.dailyCap(ip.warmup(), now);
    }

    /**
     * Counts one message against the IP's cap, and against its provider's share of the cap (during
     * warm-up no provider may take more than its {@code warmupShare}); false when either is reached.
     */
    private boolean take(SendingIp ip, boolean managedPool, String provider, Instant now) {
        OptionalLong cap = cap(ip, managedPool, now);
        if (cap.isEmpty()) {
            return true;
        }
        Instant window = plan.dayEnds(ip.warmup(), now).minus(DAY);
        OptionalLong providerCap = providerCap(cap.getAsLong(), provider);
        String providerKey = providerKey(ip, provider);
        if (providerCap.isPresent() && !volume.tryAdd(providerKey, window, providerCap.getAsLong())) {
            return false;
        }
        if (!volume.tryAdd(ip.address().text(), window, cap.getAsLong())) {
            if (providerCap.isPresent()) {
                volume.remove(providerKey, window);
            }
            return false;
        }
        return true;
    }

    private OptionalLong providerCap(long cap, String provider) {
        double share = providers.limits(provider).warmupShare();
        return share >= 1 ? OptionalLong.empty() : OptionalLong.of(Math.max(1, (long) Math.floor(cap * share)));
    }

    private static String providerKey(SendingIp ip, String provider) {
        return ip.address().text() + "/" + provider;
    }

    /** SES: an account's first dedicated IPs share their early volume with the shared pool. */
    private boolean onFirstDedicatedIps(String accountId, Instant now) {
        return ips.ofAccount(accountId).stream()
                .allMatch(ip -> plan.dailyCap(ip.warmup(), now).isPresent());
    }

    private static SourceSelection selected(SendingIp ip, String pool, Optional<String> overflowFrom) {
        return new SourceSelection.Selected(new SourceAddress(ip.address(), ip.ehloName()), pool, overflowFrom);
    }

    private static List<SendingIp> rotate(List<SendingIp> list, int by) {
        List<SendingIp> out = new ArrayList<>(list.subList(by, list.size()));
        out.addAll(list.subList(0, by));
        return out;
    }

    private List<SendingIp> shared() {
        return ips.all().stream().filter(ip -> ip.role() == IpRole.SHARED).toList();
    }

    /** The shared IPs this node sends from (the overflow of capped pools stays on its node). */
    private List<SendingIp> localShared() {
        return shared().stream()
                .filter(ip -> nodes.isLocal(ip.address().text()))
                .toList();
    }
}
