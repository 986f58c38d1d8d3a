package io.poolmta.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * A real webhook endpoint on a loopback address (the JDK's HTTP server): records every event
 * POSTed to {@code /events} with the Host header it came with, answers 200, or 500 to the events
 * {@link #refuseWhen} selects. It can be started on a port chosen earlier (an endpoint that was
 * down and comes back).
 */
public final class WebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
    private final List<JsonNode> accepted = new CopyOnWriteArrayList<>();
    private final List<String> hostHeaders = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private final AtomicInteger requests = new AtomicInteger();
    private volatile Predicate<JsonNode> refuse = e -> false;

    private WebhookReceiver(String host, int port) {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.ofLiteral(host), port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.setExecutor(executor);
        server.createContext("/events", this::handle);
        server.start();
    }

    public static WebhookReceiver start(String host) {
        return new WebhookReceiver(host, 0);
    }

    /** Starts on a given port (e.g. one {@link #freePort} chose while the endpoint was "down"). */
    public static WebhookReceiver startOn(String host, int port) {
        return new WebhookReceiver(host, port);
    }

    /** A port nothing listens on now: a webhook pointing there finds its endpoint down. */
    public static int freePort(String host) {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.ofLiteral(host))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String url(String host, int port) {
        return "http://" + host + ":" + port + "/events";
    }

    public String url() {
        return url(
                server.getAddress().getAddress().getHostAddress(),
                server.getAddress().getPort());
    }

    /** Answer 500 to the events this selects (others get 200). */
    public void refuseWhen(Predicate<JsonNode> which) {
        refuse = which;
    }

    public List<JsonNode> events() {
        return List.copyOf(accepted);
    }

    /** Accepted events of one message and type. */
    public long count(String messageId, String eventType) {
        return accepted.stream()
                .filter(e -> e.at("/mail/messageId").asText().equals(messageId)
                        && e.path("eventType").asText().equals(eventType))
                .count();
    }

    public List<String> hostHeaders() {
        return List.copyOf(hostHeaders);
    }

    public int refused() {
        return refused.get();
    }

    /** Every request that reached this endpoint, accepted or not. */
    public int requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            requests.incrementAndGet();
            byte[] body = exchange.getRequestBody().readAllBytes();
            JsonNode event;
            try {
                event = JSON.readTree(new String(body, StandardCharsets.UTF_8));
            } catch (IOException e) {
                exchange.sendResponseHeaders(400, -1);
                return;
            }
            if (!exchange.getRequestMethod().equals("POST") || refuse.test(event)) {
                refused.incrementAndGet();
                exchange.sendResponseHeaders(500, -1);
                return;
            }
            accepted.add(event);
            hostHeaders.add(exchange.getRequestHeaders().getFirst("Host"));
            exchange.sendResponseHeaders(200, -1);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
