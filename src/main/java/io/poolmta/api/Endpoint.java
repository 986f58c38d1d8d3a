package io.poolmta.api;

/** One API served under a path prefix: the SES v2 API or the operator's admin API. */
public interface Endpoint {
    String pathPrefix();

    /** The largest request body this endpoint takes on that path. */
    long maxBodyBytes(String rawPath);

    /** Handles an authenticated-or-not request; throws PoolMtaException or ApiException on failure. */
    HttpResponse handle(HttpRequest request);
}
