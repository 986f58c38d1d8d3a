package io.poolmta.nexthop;

import io.poolmta.common.PoolMtaException;
import io.poolmta.common.Transactions;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Sets, lists and removes static routes. Setting a route for a domain replaces the previous one. */
public final class RouteService {
    private final RouteStore store;
    private final Transactions tx;

    public RouteService(RouteStore store, Transactions tx) {
        this.store = store;
        this.tx = tx;
    }

    public StaticRoute set(String domain, String hostPort) {
        StaticRoute route = StaticRoute.parse(domain, hostPort);
        tx.run(() -> store.put(route));
        return route;
    }

    public List<StaticRoute> all() {
        return store.all().stream()
                .sorted(Comparator.comparing(StaticRoute::domain))
                .toList();
    }

    /** The route of exactly this domain, if any. */
    public Optional<StaticRoute> forDomain(String domain) {
        return store.get(domain.toLowerCase(Locale.ROOT));
    }

    public void delete(String domain) {
        String key = domain == null ? "" : domain.toLowerCase(Locale.ROOT);
        if (!tx.write(() -> store.delete(key))) {
            throw PoolMtaException.notFound("No static route for " + key + ".");
        }
    }
}
