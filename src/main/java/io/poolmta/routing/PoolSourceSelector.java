package io.poolmta.routing;

import io.poolmta.delivery.SourceAddress;
import io.poolmta.ip.IpRole;
import io.poolmta.ip.IpStore;
import io.poolmta.ip.Ipv4;
import io.poolmta.ip.SendingIp;
import io.poolmta.message.Envelope;
import io.poolmta.pool.PoolNames;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Picks an address of the message's pool and never of another pool:
 * <ul>
 *   <li>a named pool: its IPs;</li>
 *   <li>{@code ses-default-dedicated-pool}: the account's dedicated IPs in no pool; an account
 *       with no dedicated IPs at all sends from the shared pool, as in SES;</li>
 *   <li>{@code ses-shared-pool}: the operator's shared IPs.</li>
 * </ul>
 * Within the pool the previous address is kept while it is still a member; otherwise the choice is
 * spread by message id, so one message's retries stay put and many messages use every address.
 */
public final class PoolSourceSelector implements SourceSelector {
    private final IpStore ips;

    public PoolSourceSelector(IpStore ips) {
        this.ips = ips;
    }

    @Override
    public SourceSelection select(Envelope envelope, String destinationDomain, Optional<Ipv4> previous) {
        Candidates candidates = candidates(envelope.accountId(), envelope.poolName());
        if (candidates.ips().isEmpty()) {
            return new SourceSelection.NoSources("pool " + envelope.poolName() + " has no IPs");
        }
        SendingIp chosen = previous
                .flatMap(p -> candidates.ips().stream().filter(ip -> ip.address().equals(p)).findFirst())
                .orElseGet(() -> candidates.ips().get(
                        Math.floorMod(envelope.messageId().hashCode(), candidates.ips().size())));
        return new SourceSelection.Selected(new SourceAddress(chosen.address(), chosen.ehloName()), candidates.pool());
    }

    @Override
    public boolean hasSources(String accountId, String poolName) {
        return !candidates(accountId, poolName).ips().isEmpty();
    }

    private record Candidates(String pool, List<SendingIp> ips) {}

    private Candidates candidates(String accountId, String poolName) {
        List<SendingIp> selected;
        String pool = poolName;
        if (PoolNames.SHARED_POOL.equals(poolName)) {
            selected = shared();
        } else if (PoolNames.DEFAULT_POOL.equals(poolName)) {
            List<SendingIp> dedicated = ips.ofAccount(accountId);
            if (dedicated.isEmpty()) {
                selected = shared();
                pool = PoolNames.SHARED_POOL;
            } else {
                selected = dedicated.stream().filter(ip -> ip.poolName().isEmpty()).toList();
            }
        } else {
            selected = ips.inPool(accountId, poolName);
        }
        return new Candidates(pool, selected.stream().sorted(Comparator.comparing(SendingIp::address)).toList());
    }

    private List<SendingIp> shared() {
        return ips.all().stream().filter(ip -> ip.role() == IpRole.SHARED).toList();
    }
}
