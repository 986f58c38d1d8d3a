package io.poolmta.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.poolmta.common.PoolMtaException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP listener. Reads each request in full within the endpoint's size limit, dispatches it by
 * path prefix, and writes every failure as an SES error: {@code X-Amzn-Errortype} header and a
 * {@code {"message": ...}} body. Unexpected failures become a 500 InternalFailure whose details go
 * to the log only, never to the client. One virtual thread per request.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    /** Refused bodies up to this size are read to their end so that the client hears the 400. */
    static final long MAX_DRAIN_BYTES = 64L * 1024 * 1024;

    static {
        // TCP_NODELAY on the API's connections (read once by the JDK's HTTP server, before its first
        // server): a response goes out in one write (headers and body together, strace), but with
        // Nagle's algorithm a small write can wait for the ACK of the connection's previous one.
        // 2 KB SendEmail end to end, 2026-11-27: 0.21 ms of server CPU per message instead of
        // 0.24. An explicit -D setting wins.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Endpoint> endpoints;

    public ApiServer(InetSocketAddress address, List<Endpoint> endpoints) throws IOException {
        this.endpoints = List.copyOf(endpoints);
        this.server = HttpServer.create(address, 256);
        this.executor = Executors.newVirtualThreadPerTaskExecutor();
        server.setExecutor(executor);
        server.createContext("/", this::exchange);
    }

    public void start() {
        server.start();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    @Override
    public void close() {
        server.stop(1);
        executor.shutdownNow();
    }

    private void exchange(HttpExchange exchange) {
        String requestId = UUID.randomUUID().toString();
        HttpResponse response;
        try {
            response = dispatch(exchange, requestId);
        } catch (ApiException e) {
            response = error(e.error());
        } catch (PoolMtaException e) {
            response = error(ErrorMapping.of(e));
        } catch (RuntimeException e) {
            LOG.error("request {} {} {} failed", requestId, exchange.getRequestMethod(), exchange.getRequestURI(), e);
            response = error(ErrorMapping.internal(requestId));
        }
        write(exchange, requestId, response);
    }

    private HttpResponse dispatch(HttpExchange exchange, String requestId) {
        String rawPath = exchange.getRequestURI().getRawPath();
        Endpoint endpoint = endpoints.stream()
                .filter(e -> rawPath != null && rawPath.startsWith(e.pathPrefix()))
                .findFirst()
                .orElse(null);
        if (endpoint == null) {
            // the body is read and dropped first, or the connection would be reset under the client
            discardBody(exchange);
            throw new ApiException("UnknownOperationException", 404,
                    "No API at " + rawPath + "; the SES v2 API is under /v2/email.");
        }
        byte[] body = readBody(exchange, endpoint.maxBodyBytes(rawPath));
        Map<String, List<String>> headers = new HashMap<>();
        exchange.getRequestHeaders().forEach((name, values) ->
                headers.merge(name.toLowerCase(Locale.ROOT), List.copyOf(values), (a, b) -> {
                    java.util.ArrayList<String> all = new java.util.ArrayList<>(a);
                    all.addAll(b);
                    return all;
                }));
        HttpRequest request = new HttpRequest(exchange.getRequestMethod(), rawPath,
                exchange.getRequestURI().getRawQuery(), headers, body, requestId);
        return endpoint.handle(request);
    }

    private static byte[] readBody(HttpExchange exchange, long limit) {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        long length = -1;
        if (declared != null) {
            try {
                length = Long.parseLong(declared.trim());
            } catch (NumberFormatException e) {
                throw ApiException.badRequest("Content-Length is not a number.");
            }
            if (length > limit) {
                if (length <= MAX_DRAIN_BYTES) {
                    try (InputStream in = exchange.getRequestBody()) {
                        drain(in);
                    } catch (IOException e) {
                        LOG.debug("could not drain a refused request body", e);
                    }
                }
                throw tooLarge(limit);
            }
        }
        try (InputStream in = exchange.getRequestBody()) {
            if (length >= 0) { // the declared length: read into an array of that size
                byte[] body = new byte[(int) length];
                int read = in.readNBytes(body, 0, body.length);
                return read == body.length ? body : java.util.Arrays.copyOf(body, read);
            }
            byte[] body = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (body.length > limit) {
                drain(in);
                throw tooLarge(limit);
            }
            return body;
        } catch (IOException e) {
            throw ApiException.badRequest("The request body could not be read.");
        }
    }

    /**
     * Reads and drops what is left of a refused body (at most {@link #MAX_DRAIN_BYTES}): a server
     * that closes with request bytes still unread resets the connection, and the client never
     * hears the 400.
     */
    private static void drain(InputStream in) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long left = MAX_DRAIN_BYTES;
        for (int n; left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) >= 0; ) {
            left -= n;
        }
    }

    /** Reads and drops a request body nobody will look at (see {@link #drain}). */
    private static void discardBody(HttpExchange exchange) {
        try (InputStream in = exchange.getRequestBody()) {
            drain(in);
        } catch (IOException e) {
            LOG.debug("could not drain the body of a request to an unknown path", e);
        }
    }

    private static ApiException tooLarge(long limit) {
        return ApiException.badRequest("The request body is larger than the " + limit + "-byte limit of this operation.");
    }

    static HttpResponse error(ApiError error) {
        ObjectNode body = Json.object();
        body.put("__type", error.type());
        // messages may quote user input; keep them readable whatever was sent
        String message = error.message().length() > 1024 ? error.message().substring(0, 1024) + "..." : error.message();
        body.put("message", message);
        return new HttpResponse(error.status(), Map.of("X-Amzn-Errortype", error.type()), "application/json",
                Json.bytes(body));
    }

    private static void write(HttpExchange exchange, String requestId, HttpResponse response) {
        try (exchange) {
            exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
            exchange.getResponseHeaders().set("Content-Type", response.contentType());
            response.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
            byte[] body = response.body();
            exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        } catch (IOException e) {
            LOG.debug("client went away before the response of {} was written", requestId, e);
        }
    }
}
