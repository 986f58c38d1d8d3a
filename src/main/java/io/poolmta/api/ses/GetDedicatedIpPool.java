package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.Json;
import io.poolmta.pool.DedicatedIpPool;
import io.poolmta.pool.DedicatedIpPoolService;

/** GET /v2/email/dedicated-ip-pools/{PoolName}: PoolName and ScalingMode. */
public final class GetDedicatedIpPool implements SesOperation {
    private final DedicatedIpPoolService pools;

    public GetDedicatedIpPool(DedicatedIpPoolService pools) {
        this.pools = pools;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        DedicatedIpPool pool = pools.get(call.accountId(), call.label("PoolName"));
        ObjectNode out = Json.object();
        out.putObject("DedicatedIpPool")
                .put("PoolName", pool.name())
                .put("ScalingMode", pool.scalingMode().name());
        return out;
    }
}
