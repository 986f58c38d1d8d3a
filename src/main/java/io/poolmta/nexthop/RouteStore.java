package io.poolmta.nexthop;

import java.util.List;
import java.util.Optional;

/** Durable static routes. */
public interface RouteStore {
    void put(StaticRoute route);

    boolean delete(String domain);

    Optional<StaticRoute> get(String domain);

    List<StaticRoute> all();
}
