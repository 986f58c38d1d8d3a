package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.pool.DedicatedIpView;

/** The DedicatedIp output shape. */
final class DedicatedIpShape {
    private DedicatedIpShape() {}

    static void write(ObjectNode target, DedicatedIpView ip) {
        target.put("Ip", ip.ip().text())
                .put("WarmupStatus", ip.warmup().status().name())
                .put("WarmupPercentage", ip.warmup().percentage())
                .put("PoolName", ip.poolName());
    }
}
