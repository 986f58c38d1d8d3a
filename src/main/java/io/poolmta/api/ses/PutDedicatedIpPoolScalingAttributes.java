package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.ApiException;
import io.poolmta.pool.DedicatedIpPoolService;
import io.poolmta.pool.ScalingMode;

/** PUT /v2/email/dedicated-ip-pools/{PoolName}/scaling: STANDARD to MANAGED only. */
public final class PutDedicatedIpPoolScalingAttributes implements SesOperation {
    private final DedicatedIpPoolService pools;

    public PutDedicatedIpPoolScalingAttributes(DedicatedIpPoolService pools) {
        this.pools = pools;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        ScalingMode mode = call.body()
                .optionalEnum("ScalingMode", ScalingMode.class)
                .orElseThrow(() -> ApiException.badRequest("Field 'ScalingMode' is required."));
        pools.setScalingMode(call.accountId(), call.label("PoolName"), mode);
        return SesShapes.empty();
    }
}
