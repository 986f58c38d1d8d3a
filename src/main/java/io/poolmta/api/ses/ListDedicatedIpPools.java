package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.pool.DedicatedIpPoolService;

/** GET /v2/email/dedicated-ip-pools: the account's pool names, paged. */
public final class ListDedicatedIpPools implements SesOperation {
    private final DedicatedIpPoolService pools;

    public ListDedicatedIpPools(DedicatedIpPoolService pools) {
        this.pools = pools;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        return SesShapes.names("DedicatedIpPools", pools.list(call.accountId(), SesShapes.page(call.query())));
    }
}
