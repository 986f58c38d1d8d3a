package io.poolmta.configset;

import io.poolmta.pool.PoolReferences;
import java.util.List;
import java.util.Optional;

/** Durable configuration sets. Knows which sets name a pool, for the pool's delete rule. */
public interface ConfigurationSetStore extends PoolReferences {
    void insert(ConfigurationSet set);

    void update(ConfigurationSet set);

    void delete(String accountId, String name);

    Optional<ConfigurationSet> get(String accountId, String name);

    /** Names of the account's sets, sorted. */
    List<String> names(String accountId);
}
