package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.pool.DedicatedIpPoolService;

/** PUT /v2/email/dedicated-ips/{IP}/warmup: moves the IP to WarmupPercentage (0-100; 100 is DONE). */
public final class PutDedicatedIpWarmupAttributes implements SesOperation {
    private final DedicatedIpPoolService pools;

    public PutDedicatedIpWarmupAttributes(DedicatedIpPoolService pools) {
        this.pools = pools;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        String ip = call.label("IP");
        pools.setWarmupPercentage(call.accountId(), ip, call.body().requiredInteger("WarmupPercentage"));
        return SesShapes.empty();
    }
}
