package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.pool.DedicatedIpPoolService;
import io.poolmta.pool.ScalingMode;

/** POST /v2/email/dedicated-ip-pools: PoolName, optional ScalingMode (STANDARD) and Tags. */
public final class CreateDedicatedIpPool implements SesOperation {
    private final DedicatedIpPoolService pools;

    public CreateDedicatedIpPool(DedicatedIpPoolService pools) {
        this.pools = pools;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        String name = call.body().requiredString("PoolName");
        ScalingMode mode =
                call.body().optionalEnum("ScalingMode", ScalingMode.class).orElse(ScalingMode.STANDARD);
        pools.create(call.accountId(), name, mode, SesShapes.tags(call.body(), "Tags"));
        return SesShapes.empty();
    }
}
