package io.poolmta.pool;

/** How many pools an account may hold. SES allows five managed pools per account. */
public record PoolLimits(int maxPools, int maxManagedPools) {
    public static final PoolLimits DEFAULT = new PoolLimits(100, 5);
}
