package io.poolmta.api.admin;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.Json;
import io.poolmta.nexthop.RouteService;
import io.poolmta.nexthop.StaticRoute;

/** PUT/DELETE /routes/{Domain} and GET /routes: static next hops. */
public final class RoutesAdmin {
    private final RouteService routes;

    public RoutesAdmin(RouteService routes) {
        this.routes = routes;
    }

    public void register(AdminApi api) {
        api.add("PUT", "/routes/{Domain}", (labels, query, body) -> {
            StaticRoute route = routes.set(labels.get("Domain"), body.requiredString("NextHop"));
            return render(route);
        });
        api.add("GET", "/routes", (labels, query, body) -> {
            ObjectNode out = Json.object();
            ArrayNode list = out.putArray("Routes");
            routes.all().forEach(r -> list.add(render(r)));
            return out;
        });
        api.add("DELETE", "/routes/{Domain}", (labels, query, body) -> {
            routes.delete(labels.get("Domain"));
            return Json.object();
        });
    }

    private static ObjectNode render(StaticRoute route) {
        return Json.object().put("Domain", route.domain()).put("NextHop", route.nextHop());
    }
}
