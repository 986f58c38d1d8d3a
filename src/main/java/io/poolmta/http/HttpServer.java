package io.poolmta.http;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP listener. Reads each request in full within the endpoint's size limit, dispatches it by
 * path prefix to an {@link Endpoint}, and has the application's {@link Refusals} word every
 * refusal and every failure an endpoint throws.
 * <p>
 * HTTP/1.1 itself is {@link HttpConnection}'s: one platform thread per connection, blocking reads,
 * one write per response, TCP_NODELAY. At most {@code maxConnections} are open; a connection
 * beyond that is answered {@link Refusals#tooManyConnections} and closed. Until 2026-11-27 this was
 * the JDK's {@code com.sun.net.httpserver}, whose selector thread, hand-offs of every request to a
 * task and back, and header parsing cost about a third of the API path's CPU (JFR; see
 * BENCHMARKS.md).
 */
public final class HttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpServer.class);
    /** Refused bodies up to this size are read to their end so that the client hears the 400. */
    static final long MAX_DRAIN_BYTES = 64L * 1024 * 1024;

    public static final int DEFAULT_MAX_CONNECTIONS = 2048;
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** IMF-fixdate (RFC 9110 5.6.7): a two-digit day, which RFC_1123_DATE_TIME does not write. */
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern(
                    "EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private final ServerSocket listener;
    private final List<Endpoint> endpoints;
    private final Refusals refusals;
    private final Clock clock;
    private final int maxConnections;
    private final long idleNanos;
    private final long requestNanos;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicLong connections = new AtomicLong();
    private final HttpConnection.Handler handler = new Handler();
    private volatile Thread acceptor;
    private volatile boolean closed;
    private volatile long dateSecond = Long.MIN_VALUE;
    private volatile String date = "";

    public HttpServer(
            InetSocketAddress address, List<Endpoint> endpoints, Refusals refusals, Clock clock, int maxConnections)
            throws IOException {
        this(address, endpoints, refusals, clock, maxConnections, IDLE_TIMEOUT, REQUEST_TIMEOUT);
    }

    /** With the idle keep-alive and the request deadlines of {@link HttpConnection} (tests shorten them). */
    HttpServer(
            InetSocketAddress address,
            List<Endpoint> endpoints,
            Refusals refusals,
            Clock clock,
            int maxConnections,
            Duration idleTimeout,
            Duration requestTimeout)
            throws IOException {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
        }
        this.endpoints = List.copyOf(endpoints);
        this.refusals = refusals;
        this.clock = clock;
        this.maxConnections = maxConnections;
        this.idleNanos = idleTimeout.toNanos();
        this.requestNanos = requestTimeout.toNanos();
        this.listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(address, 256);
    }

    public void start() {
        acceptor = Thread.ofPlatform().name("http-acceptor").start(this::acceptLoop);
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** Stops listening and closes every connection; requests being handled lose their connection. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            LOG.debug("closing the HTTP listener", e);
        }
        for (Socket socket : open) {
            closeQuietly(socket);
        }
        Thread t = acceptor;
        if (t != null) {
            try {
                t.join(5_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!closed) {
                    LOG.warn("accepting an HTTP connection failed", e);
                    pause();
                }
                continue;
            }
            try {
                socket.setTcpNoDelay(true);
                if (open.size() >= maxConnections) {
                    refuseBusy(socket);
                    continue;
                }
                open.add(socket);
                HttpConnection connection = new HttpConnection(socket, handler, idleNanos, requestNanos);
                Thread.ofPlatform()
                        .name("http-" + connections.incrementAndGet())
                        .daemon()
                        .start(() -> {
                            try {
                                connection.run();
                            } finally {
                                open.remove(socket);
                            }
                        });
                if (closed) {
                    closeQuietly(socket);
                }
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                open.remove(socket);
                closeQuietly(socket);
                LOG.warn("could not serve an HTTP connection", e);
            }
        }
    }

    /**
     * Over the connection limit: a refusal the client can act on, then the connection is closed, on
     * a virtual thread so that the acceptor does not wait ({@link HttpConnection#answerAndClose}).
     */
    private void refuseBusy(Socket socket) throws IOException {
        HttpConnection connection = new HttpConnection(socket, handler, idleNanos, requestNanos);
        HttpResponse busy = refusals.tooManyConnections();
        Thread.ofVirtual().name("http-refusal").start(() -> connection.answerAndClose(busy));
    }

    private static void pause() {
        try {
            Thread.sleep(100); // e.g. out of file descriptors: do not spin
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** What the connections call: dispatch, the refusals, the Date header. */
    private final class Handler implements HttpConnection.Handler {
        @Override
        public Endpoint endpoint(String rawPath) {
            for (Endpoint e : endpoints) {
                if (rawPath.startsWith(e.pathPrefix())) {
                    return e;
                }
            }
            return null;
        }

        @Override
        public HttpResponse handle(Endpoint endpoint, HttpRequest request) {
            try {
                return endpoint.handle(request);
            } catch (RuntimeException e) {
                return refusals.failed(request, e);
            }
        }

        @Override
        public Refusals refusals() {
            return refusals;
        }

        @Override
        public String newRequestId() {
            return UUID.randomUUID().toString();
        }

        @Override
        public String date() {
            long now = clock.millis() / 1000;
            if (now != dateSecond) {
                date = HTTP_DATE.format(Instant.ofEpochSecond(now));
                dateSecond = now;
            }
            return date;
        }
    }
}
