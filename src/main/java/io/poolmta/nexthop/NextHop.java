package io.poolmta.nexthop;

/** One receiving server to try: host name or address, and port. */
public record NextHop(String host, int port) {
    @Override
    public String toString() {
        return host + ":" + port;
    }
}
