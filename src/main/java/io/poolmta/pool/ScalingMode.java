package io.poolmta.pool;

/** How a pool gets its IPs: the account moves them in (STANDARD) or PoolMTA sizes it (MANAGED). */
public enum ScalingMode {
    STANDARD,
    MANAGED
}
