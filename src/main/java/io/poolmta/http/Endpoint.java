package io.poolmta.http;

/** One application served under a path prefix (the SES v2 API, the operator's admin API). */
public interface Endpoint {
    String pathPrefix();

    /** The largest request body this endpoint takes on that path. */
    long maxBodyBytes(String rawPath);

    /**
     * Handles a request read in full. A failure is thrown, and the server's {@link Refusals}
     * turns it into the response ({@link Refusals#failed}).
     */
    HttpResponse handle(HttpRequest request);
}
