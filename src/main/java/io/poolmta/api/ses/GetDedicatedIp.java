package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.Json;
import io.poolmta.pool.DedicatedIpPoolService;

/** GET /v2/email/dedicated-ips/{IP}: one of the account's IPs with warm-up and pool. */
public final class GetDedicatedIp implements SesOperation {
    private final DedicatedIpPoolService pools;

    public GetDedicatedIp(DedicatedIpPoolService pools) {
        this.pools = pools;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        ObjectNode out = Json.object();
        DedicatedIpShape.write(out.putObject("DedicatedIp"), pools.getIp(call.accountId(), call.label("IP")));
        return out;
    }
}
