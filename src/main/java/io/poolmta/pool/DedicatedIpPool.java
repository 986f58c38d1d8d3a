package io.poolmta.pool;

import java.time.Instant;
import java.util.Objects;

/** A named pool of one account. Names are unique per account across standard and managed pools. */
public record DedicatedIpPool(String accountId, String name, ScalingMode scalingMode, Instant createdAt) {
    public DedicatedIpPool {
        Objects.requireNonNull(accountId);
        PoolNames.requireValidCustom(name);
        Objects.requireNonNull(scalingMode);
        Objects.requireNonNull(createdAt);
    }

    public DedicatedIpPool withScalingMode(ScalingMode mode) {
        return new DedicatedIpPool(accountId, name, mode, createdAt);
    }
}
