package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.Json;
import io.poolmta.common.Page;
import io.poolmta.pool.DedicatedIpPoolService;
import io.poolmta.pool.DedicatedIpView;
import java.util.Optional;

/** GET /v2/email/dedicated-ips: the account's IPs, optionally of one pool, paged. */
public final class GetDedicatedIps implements SesOperation {
    private final DedicatedIpPoolService pools;

    public GetDedicatedIps(DedicatedIpPoolService pools) {
        this.pools = pools;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        Optional<String> pool = call.query().first("PoolName").filter(p -> !p.isEmpty());
        Page<DedicatedIpView> page = pools.listIps(call.accountId(), pool, SesShapes.page(call.query()));
        ObjectNode out = Json.object();
        ArrayNode ips = out.putArray("DedicatedIps");
        page.items().forEach(ip -> DedicatedIpShape.write(ips.addObject(), ip));
        page.nextToken().ifPresent(t -> out.put("NextToken", t));
        return out;
    }
}
