package io.poolmta.nexthop;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Static routes first (like Postfix transport_maps), MX lookup otherwise. With
 * {@code loopbackOnly} (the embedded default, and every test), a next hop outside 127.0.0.0/8 is a
 * permanent failure: PoolMTA never sends mail off the machine unless told to.
 */
public final class RoutedResolver implements NextHopResolver {
    private final RouteService routes;
    private final NextHopResolver mx;
    private final boolean loopbackOnly;

    public RoutedResolver(RouteService routes, NextHopResolver mx, boolean loopbackOnly) {
        this.routes = routes;
        this.mx = mx;
        this.loopbackOnly = loopbackOnly;
    }

    @Override
    public NextHopResolution resolve(String domain) {
        Optional<StaticRoute> route = routes.forDomain(domain);
        NextHopResolution resolution = route.<NextHopResolution>map(
                        r -> new NextHopResolution.Hosts(List.of(new NextHop(r.host(), r.port()))))
                .orElse(null);
        if (resolution == null) {
            if (loopbackOnly) {
                return new NextHopResolution.PermanentFailure("5.7.1 " + domain + " has no static route and this"
                        + " PoolMTA delivers only to loopback (outbound: loopback-only)");
            }
            resolution = mx.resolve(domain);
        }
        if (loopbackOnly && resolution instanceof NextHopResolution.Hosts hosts) {
            for (NextHop hop : hosts.hosts()) {
                if (!isLoopback(hop.host())) {
                    return new NextHopResolution.PermanentFailure("5.7.1 next hop " + hop + " is not on loopback and"
                            + " this PoolMTA delivers only to loopback (outbound: loopback-only)");
                }
            }
        }
        return resolution;
    }

    private static boolean isLoopback(String host) {
        try {
            String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
            for (InetAddress a : InetAddress.getAllByName(h)) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
