package io.poolmta.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.Json;
import io.poolmta.delivery.AdaptiveThrottle;
import io.poolmta.delivery.DeliveryEngine;
import java.util.function.LongSupplier;

/**
 * GET /delivery: the engine's counters, the spool's pending messages (accepted, not yet finished)
 * and every (source IP, provider) throttle.
 */
public final class DeliveryAdmin {
    private final DeliveryEngine engine;
    private final LongSupplier pending;

    public DeliveryAdmin(DeliveryEngine engine, LongSupplier pending) {
        this.engine = engine;
        this.pending = pending;
    }

    public void register(AdminApi api) {
        api.add("GET", "/delivery", (labels, query, body) -> {
            ObjectNode out = Json.object();
            out.put("Delivered", engine.delivered())
                    .put("Bounced", engine.bounced())
                    .put("Deferred", engine.deferred())
                    .put("Queued", engine.queued())
                    .put("Pending", pending.getAsLong());
            ArrayNode throttles = out.putArray("Throttles");
            for (AdaptiveThrottle.Snapshot t : engine.throttles()) {
                ObjectNode row = throttles
                        .addObject()
                        .put("Ip", t.sourceIp())
                        .put("Provider", t.provider())
                        .put("ConnectionLimit", t.connectionLimit())
                        .put("MaxConnections", t.maxConnections())
                        .put("Throttles", t.throttles())
                        .put("Delivered", t.delivered());
                t.pausedUntil().ifPresent(p -> row.put("PausedUntil", p.toString()));
                if (!t.site().isEmpty()) {
                    row.put("Site", t.site()); // an unclassified destination: throttled on its own
                }
            }
            return out;
        });
    }
}
