package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.pool.DedicatedIpPoolService;

/** PUT /v2/email/dedicated-ips/{IP}/pool: moves the IP; ses-default-dedicated-pool takes it out of its pool. */
public final class PutDedicatedIpInPool implements SesOperation {
    private final DedicatedIpPoolService pools;

    public PutDedicatedIpInPool(DedicatedIpPoolService pools) {
        this.pools = pools;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        String ip = call.label("IP");
        String destination =
                SesShapes.nonEmpty(call.body().requiredString("DestinationPoolName"), "DestinationPoolName");
        pools.moveIp(call.accountId(), ip, destination);
        return SesShapes.empty();
    }
}
