package io.poolmta.pool;

import io.poolmta.common.Page;
import io.poolmta.common.PageRequest;
import io.poolmta.common.PoolMtaException;
import io.poolmta.common.Transactions;
import io.poolmta.ip.IpStore;
import io.poolmta.ip.Ipv4;
import io.poolmta.ip.SendingIp;
import io.poolmta.tag.ResourceType;
import io.poolmta.tag.Tag;
import io.poolmta.tag.TagStore;
import io.poolmta.warmup.WarmupPlan;
import io.poolmta.warmup.WarmupProgress;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * An account's pools and its dedicated IPs, with SES's rules (see docs/ARCHITECTURE.md):
 * <ul>
 *   <li>an IP is in at most one pool; moving it overwrites; moving it to
 *       {@code ses-default-dedicated-pool} takes it out of its pool;</li>
 *   <li>a STANDARD pool that holds IPs, or any pool a configuration set names, cannot be deleted;
 *       deleting a MANAGED pool returns its IPs to the operator's reserve;</li>
 *   <li>STANDARD may become MANAGED, never the reverse; IPs cannot be moved into or out of a
 *       MANAGED pool by hand;</li>
 *   <li>an account only ever sees its own pools and IPs: another account's IP is NotFound.</li>
 * </ul>
 */
public final class DedicatedIpPoolService {
    private final PoolStore pools;
    private final IpStore ips;
    private final TagStore tags;
    private final PoolReferences references;
    private final WarmupPlan plan;
    private final PoolLimits limits;
    private final Transactions tx;
    private final Clock clock;

    public DedicatedIpPoolService(
            PoolStore pools,
            IpStore ips,
            TagStore tags,
            PoolReferences references,
            WarmupPlan plan,
            PoolLimits limits,
            Transactions tx,
            Clock clock) {
        this.pools = pools;
        this.ips = ips;
        this.tags = tags;
        this.references = references;
        this.plan = plan;
        this.limits = limits;
        this.tx = tx;
        this.clock = clock;
    }

    public void create(String accountId, String name, ScalingMode mode, List<Tag> poolTags) {
        PoolNames.requireValidCustom(name);
        Tag.requireDistinctKeys(poolTags);
        tx.run(() -> {
            if (pools.get(accountId, name).isPresent()) {
                throw PoolMtaException.alreadyExists("Pool " + name + " already exists.");
            }
            List<DedicatedIpPool> existing = pools.ofAccount(accountId);
            if (existing.size() >= limits.maxPools()) {
                throw PoolMtaException.limitExceeded("An account can have at most " + limits.maxPools() + " pools.");
            }
            if (mode == ScalingMode.MANAGED && countManaged(existing) >= limits.maxManagedPools()) {
                throw PoolMtaException.limitExceeded(
                        "An account can have at most " + limits.maxManagedPools() + " managed pools.");
            }
            pools.insert(new DedicatedIpPool(accountId, name, mode, clock.instant()));
            if (!poolTags.isEmpty()) {
                tags.put(accountId, ResourceType.DEDICATED_IP_POOL, name, poolTags);
            }
        });
    }

    public DedicatedIpPool get(String accountId, String name) {
        if (PoolNames.isReserved(name)) {
            throw PoolMtaException.badRequest(
                    "Pool name " + name + " describes either a shared or default dedicated ip pool.");
        }
        return pools.get(accountId, name).orElseThrow(() -> poolNotFound(name));
    }

    public boolean exists(String accountId, String name) {
        return pools.get(accountId, name).isPresent();
    }

    public Page<String> list(String accountId, PageRequest page) {
        List<String> names = pools.ofAccount(accountId).stream()
                .map(DedicatedIpPool::name)
                .sorted()
                .toList();
        return page.slice(names, n -> n);
    }

    public void delete(String accountId, String name) {
        if (PoolNames.isReserved(name)) {
            throw PoolMtaException.badRequest("Pool " + name + " is reserved and cannot be deleted.");
        }
        tx.run(() -> {
            DedicatedIpPool pool = pools.get(accountId, name).orElseThrow(() -> poolNotFound(name));
            List<String> users = references.configurationSetsUsing(accountId, name);
            if (!users.isEmpty()) {
                throw PoolMtaException.badRequest("Pool " + name + " is still used by configuration set(s) "
                        + String.join(", ", users) + "; point them at another pool first.");
            }
            List<SendingIp> members = ips.inPool(accountId, name);
            if (pool.scalingMode() == ScalingMode.STANDARD && !members.isEmpty()) {
                throw PoolMtaException.badRequest("Pool " + name + " still holds " + members.size()
                        + " IP(s); move them to another pool or to ses-default-dedicated-pool first.");
            }
            members.forEach(ip -> ips.update(ip.releasedToReserve()));
            tags.removeAll(accountId, ResourceType.DEDICATED_IP_POOL, name);
            pools.delete(accountId, name);
        });
    }

    public void setScalingMode(String accountId, String name, ScalingMode mode) {
        tx.run(() -> {
            DedicatedIpPool pool = get(accountId, name);
            if (pool.scalingMode() == mode) {
                return; // idempotent, as the model marks this operation
            }
            if (mode == ScalingMode.STANDARD) {
                throw PoolMtaException.badRequest(
                        "Pool " + name + " is MANAGED; a managed pool cannot return to STANDARD.");
            }
            if (countManaged(pools.ofAccount(accountId)) >= limits.maxManagedPools()) {
                throw PoolMtaException.limitExceeded(
                        "An account can have at most " + limits.maxManagedPools() + " managed pools.");
            }
            pools.update(pool.withScalingMode(mode));
        });
    }

    /** PutDedicatedIpInPool: moves one of the account's IPs; the default pool takes it out of its pool. */
    public void moveIp(String accountId, String address, String destination) {
        Ipv4 ip = Ipv4.parse(address);
        if (destination == null || destination.isEmpty()) {
            throw PoolMtaException.badRequest("DestinationPoolName is required.");
        }
        if (PoolNames.SHARED_POOL.equals(destination)) {
            throw PoolMtaException.badRequest("Dedicated IPs cannot be moved into ses-shared-pool.");
        }
        tx.run(() -> {
            SendingIp current = ownIp(accountId, ip);
            Optional<DedicatedIpPool> from = current.poolName().flatMap(p -> pools.get(accountId, p));
            if (from.isPresent() && from.get().scalingMode() == ScalingMode.MANAGED) {
                throw PoolMtaException.badRequest("IP " + ip + " belongs to managed pool "
                        + from.get().name() + "; PoolMTA places the IPs of managed pools.");
            }
            Optional<String> to = Optional.empty();
            if (!PoolNames.DEFAULT_POOL.equals(destination)) {
                DedicatedIpPool target = pools.get(accountId, destination).orElseThrow(() -> poolNotFound(destination));
                if (target.scalingMode() == ScalingMode.MANAGED) {
                    throw PoolMtaException.badRequest("Pool " + destination
                            + " is MANAGED; PoolMTA chooses its IPs, they cannot be moved in by hand.");
                }
                to = Optional.of(destination);
            }
            ips.update(current.inPool(to));
        });
    }

    public DedicatedIpView getIp(String accountId, String address) {
        return view(ownIp(accountId, Ipv4.parse(address)));
    }

    /** GetDedicatedIps, optionally only those of one pool (the default pool means: in no pool). */
    public Page<DedicatedIpView> listIps(String accountId, Optional<String> poolName, PageRequest page) {
        List<SendingIp> selected;
        if (poolName.isEmpty()) {
            selected = ips.ofAccount(accountId);
        } else if (PoolNames.DEFAULT_POOL.equals(poolName.get())) {
            selected = ips.ofAccount(accountId).stream()
                    .filter(ip -> ip.poolName().isEmpty())
                    .toList();
        } else if (PoolNames.SHARED_POOL.equals(poolName.get())) {
            throw PoolMtaException.badRequest(
                    "The IPs of ses-shared-pool are managed by the operator and are not listed.");
        } else {
            pools.get(accountId, poolName.get()).orElseThrow(() -> poolNotFound(poolName.get()));
            selected = ips.inPool(accountId, poolName.get());
        }
        List<SendingIp> sorted = selected.stream()
                .sorted(Comparator.comparing(SendingIp::address))
                .toList();
        Page<SendingIp> slice = page.slice(sorted, ip -> ip.address().sortKey());
        return new Page<>(slice.items().stream().map(this::view).toList(), slice.nextToken());
    }

    public void setWarmupPercentage(String accountId, String address, Integer percentage) {
        Ipv4 ip = Ipv4.parse(address);
        if (percentage == null) {
            throw PoolMtaException.badRequest("WarmupPercentage is required.");
        }
        tx.run(() -> {
            SendingIp current = ownIp(accountId, ip);
            if (isManaged(current)) {
                throw PoolMtaException.badRequest(
                        "IP " + ip + " is in a managed pool; PoolMTA warms it per mailbox provider.");
            }
            ips.update(current.withWarmup(plan.at(percentage, clock.instant())));
        });
    }

    private DedicatedIpView view(SendingIp ip) {
        WarmupProgress progress =
                isManaged(ip) ? WarmupProgress.NOT_APPLICABLE : plan.progress(ip.warmup(), clock.instant());
        return new DedicatedIpView(ip.address(), progress, ip.poolName().orElse(PoolNames.DEFAULT_POOL));
    }

    private boolean isManaged(SendingIp ip) {
        return ip.poolName()
                .flatMap(p -> pools.get(ip.accountId().orElseThrow(), p))
                .map(p -> p.scalingMode() == ScalingMode.MANAGED)
                .orElse(false);
    }

    private SendingIp ownIp(String accountId, Ipv4 ip) {
        return ips.byAddress(ip)
                .filter(found -> found.leasedTo(accountId))
                .orElseThrow(
                        () -> PoolMtaException.notFound("Dedicated IP " + ip + " does not exist in this account."));
    }

    private static long countManaged(List<DedicatedIpPool> pools) {
        return pools.stream()
                .filter(p -> p.scalingMode() == ScalingMode.MANAGED)
                .count();
    }

    private static PoolMtaException poolNotFound(String name) {
        return PoolMtaException.notFound("Pool " + name + " does not exist.");
    }
}
