package io.poolmta.http;

/**
 * How the application served by the {@link HttpServer} words what the HTTP layer refuses, and the
 * failures of its endpoints: the HTTP layer decides when to refuse and what happens to the
 * connection, the application gives each refusal its status, error type and message. Every
 * method returns a response and never throws.
 */
public interface Refusals {
    /** The response header that carries each request's id (every response has one). */
    String requestIdHeader();

    /** A request that is not HTTP/1.1 as the server takes it; the connection closes after it. */
    HttpResponse malformed(String message);

    /** No endpoint serves {@code rawPath}. */
    HttpResponse noEndpoint(String rawPath);

    /** The body is longer than the endpoint's limit of {@code maxBytes}. */
    HttpResponse bodyTooLarge(long maxBytes);

    /** A connection over the server's limit, answered before any request is read, then closed. */
    HttpResponse tooManyConnections();

    /** The HTTP layer itself failed on request {@code requestId} (a bug, not the client's doing). */
    HttpResponse internalFailure(String requestId);

    /** The endpoint threw {@code failure} handling {@code request}. */
    HttpResponse failed(HttpRequest request, RuntimeException failure);
}
