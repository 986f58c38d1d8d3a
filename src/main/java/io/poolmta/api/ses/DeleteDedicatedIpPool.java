package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.pool.DedicatedIpPoolService;

/** DELETE /v2/email/dedicated-ip-pools/{PoolName}. */
public final class DeleteDedicatedIpPool implements SesOperation {
    private final DedicatedIpPoolService pools;

    public DeleteDedicatedIpPool(DedicatedIpPoolService pools) {
        this.pools = pools;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        pools.delete(call.accountId(), call.label("PoolName"));
        return SesShapes.empty();
    }
}
