package io.poolmta.store;

import io.poolmta.nexthop.RouteStore;
import io.poolmta.nexthop.StaticRoute;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** Static routes in SQL; reads come from an in-memory copy, reloaded after any committed write. */
public final class JdbcRouteStore implements RouteStore {
    private final Jdbc jdbc;
    private final CommittedSnapshot<Map<String, StaticRoute>> routes;

    public JdbcRouteStore(Jdbc jdbc) {
        this.jdbc = jdbc;
        this.routes = new CommittedSnapshot<>(jdbc, List.of("static_routes"), () -> {
            Map<String, StaticRoute> out = new TreeMap<>();
            jdbc.query(
                            "SELECT * FROM static_routes ORDER BY route_domain",
                            rs -> new StaticRoute(
                                    rs.getString("route_domain"), rs.getString("next_host"), rs.getInt("next_port")))
                    .forEach(r -> out.put(r.domain(), r));
            return Collections.unmodifiableMap(out);
        });
    }

    @Override
    public void put(StaticRoute route) {
        jdbc.write(() -> {
            if (jdbc.update(
                            "UPDATE static_routes SET next_host = ?, next_port = ? WHERE route_domain = ?",
                            route.host(),
                            route.port(),
                            route.domain())
                    == 0) {
                jdbc.update(
                        "INSERT INTO static_routes (route_domain, next_host, next_port) VALUES (?, ?, ?)",
                        route.domain(),
                        route.host(),
                        route.port());
            }
            return null;
        });
    }

    @Override
    public boolean delete(String domain) {
        return jdbc.update("DELETE FROM static_routes WHERE route_domain = ?", domain) > 0;
    }

    @Override
    public Optional<StaticRoute> get(String domain) {
        return Optional.ofNullable(routes.get().get(domain));
    }

    @Override
    public List<StaticRoute> all() {
        return List.copyOf(routes.get().values());
    }
}
