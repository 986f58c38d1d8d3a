package io.poolmta.server;

import io.poolmta.http.Endpoint;
import io.poolmta.http.HttpRequest;
import io.poolmta.http.HttpResponse;
import io.poolmta.store.Jdbc;

/**
 * An API endpoint that first catches this node up with the cluster ({@link Jdbc#catchUp}), so that
 * its answers are as new as any write committed through another node before the request came: a
 * client that creates a pool at one node and lists pools at another finds it, as on one node. On
 * the embedded database, a single node, it adds nothing.
 */
record CaughtUpEndpoint(Endpoint endpoint, Jdbc jdbc) implements Endpoint {
    @Override
    public String pathPrefix() {
        return endpoint.pathPrefix();
    }

    @Override
    public long maxBodyBytes(String rawPath) {
        return endpoint.maxBodyBytes(rawPath);
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        jdbc.catchUp();
        return endpoint.handle(request);
    }
}
