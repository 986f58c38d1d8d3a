package io.poolmta.pool;

import java.util.List;
import java.util.Optional;

/** Durable pools. */
public interface PoolStore {
    void insert(DedicatedIpPool pool);

    void update(DedicatedIpPool pool);

    void delete(String accountId, String name);

    Optional<DedicatedIpPool> get(String accountId, String name);

    /** The account's pools sorted by name. */
    List<DedicatedIpPool> ofAccount(String accountId);
}
