package io.poolmta.sending;

/**
 * Gives a pool with no IPs its first one when mail is accepted for it, if the pool is one PoolMTA
 * sizes itself (a MANAGED pool draws from the operator's reserve). Returns false when it does not
 * apply; throws the error to answer (NotFound: the reserve is empty) when it applies and cannot.
 */
@FunctionalInterface
public interface PoolProvisioner {
    PoolProvisioner NONE = (accountId, poolName) -> false;

    boolean provisionFirstIp(String accountId, String poolName);
}
