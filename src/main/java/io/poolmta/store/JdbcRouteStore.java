package io.poolmta.store;

import io.poolmta.route.RouteStore;
import io.poolmta.route.StaticRoute;
import java.util.List;
import java.util.Optional;

/** Static routes in SQL. */
public final class JdbcRouteStore implements RouteStore {
    private final Jdbc jdbc;

    public JdbcRouteStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void put(StaticRoute route) {
        jdbc.write(() -> {
            if (jdbc.update("UPDATE static_routes SET next_host = ?, next_port = ? WHERE route_domain = ?",
                    route.host(), route.port(), route.domain()) == 0) {
                jdbc.update("INSERT INTO static_routes (route_domain, next_host, next_port) VALUES (?, ?, ?)",
                        route.domain(), route.host(), route.port());
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
        return jdbc.queryOne("SELECT * FROM static_routes WHERE route_domain = ?",
                rs -> new StaticRoute(rs.getString("route_domain"), rs.getString("next_host"), rs.getInt("next_port")), domain);
    }

    @Override
    public List<StaticRoute> all() {
        return jdbc.query("SELECT * FROM static_routes ORDER BY route_domain",
                rs -> new StaticRoute(rs.getString("route_domain"), rs.getString("next_host"), rs.getInt("next_port")));
    }
}
