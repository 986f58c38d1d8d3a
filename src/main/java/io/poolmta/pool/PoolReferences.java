package io.poolmta.pool;

import java.util.List;

/** Who still names a pool: the configuration sets whose delivery options point at it. */
@FunctionalInterface
public interface PoolReferences {
    List<String> configurationSetsUsing(String accountId, String poolName);
}
