package io.poolmta.ip;

import io.poolmta.warmup.WarmupState;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One address the host sends from. A DEDICATED address has an account and at most one pool (none
 * means the account's default pool); SHARED and RESERVE addresses have neither. The EHLO name is
 * the name the address introduces itself with (its PTR). The node is the cluster node that can
 * bind the address (empty: registered before clusters, or by code that does not know the node).
 */
public record SendingIp(
        Ipv4 address,
        IpRole role,
        Optional<String> accountId,
        Optional<String> poolName,
        String ehloName,
        WarmupState warmup,
        Instant addedAt,
        Optional<String> node) {

    public SendingIp(
            Ipv4 address,
            IpRole role,
            Optional<String> accountId,
            Optional<String> poolName,
            String ehloName,
            WarmupState warmup,
            Instant addedAt) {
        this(address, role, accountId, poolName, ehloName, warmup, addedAt, Optional.empty());
    }

    public SendingIp {
        Objects.requireNonNull(address);
        Objects.requireNonNull(role);
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(poolName);
        Objects.requireNonNull(ehloName);
        Objects.requireNonNull(warmup);
        Objects.requireNonNull(addedAt);
        Objects.requireNonNull(node);
        if (role == IpRole.DEDICATED && accountId.isEmpty()) {
            throw new IllegalArgumentException("a dedicated IP belongs to an account");
        }
        if (role != IpRole.DEDICATED && (accountId.isPresent() || poolName.isPresent())) {
            throw new IllegalArgumentException(role + " IPs have no account and no pool");
        }
    }

    public boolean leasedTo(String account) {
        return role == IpRole.DEDICATED && accountId.orElseThrow().equals(account);
    }

    public SendingIp inPool(Optional<String> pool) {
        return new SendingIp(address, role, accountId, pool, ehloName, warmup, addedAt, node);
    }

    public SendingIp withWarmup(WarmupState state) {
        return new SendingIp(address, role, accountId, poolName, ehloName, state, addedAt, node);
    }

    public SendingIp releasedToReserve() {
        return new SendingIp(
                address, IpRole.RESERVE, Optional.empty(), Optional.empty(), ehloName, warmup, addedAt, node);
    }
}
