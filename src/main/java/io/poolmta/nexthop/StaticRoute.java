package io.poolmta.nexthop;

import io.poolmta.common.PoolMtaException;
import java.util.Locale;
import java.util.regex.Pattern;

/** Mail for {@code domain} goes to {@code host:port}. Domains are kept in lower case. */
public record StaticRoute(String domain, String host, int port) {
    private static final Pattern DOMAIN = Pattern.compile(
            "^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$");
    private static final Pattern HOST = Pattern.compile("^[A-Za-z0-9.-]{1,253}$|^\\[[0-9A-Fa-f:.]+]$");

    public StaticRoute {
        domain = domain == null ? "" : domain.toLowerCase(Locale.ROOT);
        if (!DOMAIN.matcher(domain).matches()) {
            throw PoolMtaException.badRequest("'" + domain + "' is not a valid domain name.");
        }
        if (host == null || !HOST.matcher(host).matches()) {
            throw PoolMtaException.badRequest("'" + host + "' is not a valid host name or address.");
        }
        if (port < 1 || port > 65535) {
            throw PoolMtaException.badRequest("Port must be between 1 and 65535, got " + port + ".");
        }
    }

    /** Parses {@code host:port}; the port defaults to 25. */
    public static StaticRoute parse(String domain, String hostPort) {
        if (hostPort == null || hostPort.isBlank()) {
            throw PoolMtaException.badRequest("Give the next hop as HOST:PORT.");
        }
        int colon = hostPort.lastIndexOf(':');
        if (colon < 0 || hostPort.endsWith("]")) {
            return new StaticRoute(domain, hostPort, 25);
        }
        try {
            return new StaticRoute(
                    domain, hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)));
        } catch (NumberFormatException e) {
            throw PoolMtaException.badRequest("'" + hostPort.substring(colon + 1) + "' is not a port number.");
        }
    }

    public String nextHop() {
        return host + ":" + port;
    }
}
