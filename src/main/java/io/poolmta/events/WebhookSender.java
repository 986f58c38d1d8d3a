package io.poolmta.events;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs events to webhooks. Each URL has its own queue and sender (a virtual thread), so one slow
 * or dead endpoint never delays another. A failed POST (no answer, or not 2xx) is retried with
 * exponential backoff from {@code initialBackoff} up to {@code maxBackoff}, in order, until it
 * succeeds: events wait in memory while an endpoint is down and are not lost while the server runs.
 */
public final class WebhookSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);

    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, LinkedBlockingQueue<String>> queues = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public WebhookSender(Duration initialBackoff, Duration maxBackoff) {
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    public void send(String url, String json) {
        if (closed) {
            return;
        }
        queues.computeIfAbsent(url, u -> {
            LinkedBlockingQueue<String> queue = new LinkedBlockingQueue<>();
            Thread.ofVirtual().name("webhook-" + u).start(() -> drain(u, queue));
            return queue;
        }).add(json);
    }

    /** Events waiting for delivery to webhooks. */
    public int backlog() {
        return queues.values().stream().mapToInt(LinkedBlockingQueue::size).sum();
    }

    private void drain(String url, LinkedBlockingQueue<String> queue) {
        while (!closed) {
            try {
                String json = queue.poll(1, TimeUnit.SECONDS);
                if (json == null) {
                    continue;
                }
                Duration backoff = initialBackoff;
                while (!closed && !post(url, json)) {
                    Thread.sleep(backoff.toMillis());
                    backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
                }
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private boolean post(String url, String json) throws InterruptedException {
        try {
            HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .header("User-Agent", "PoolMTA-Events/1")
                    .POST(HttpRequest.BodyPublishers.ofString(json)).build();
            int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
            if (status / 100 == 2) {
                return true;
            }
            LOG.debug("webhook {} answered {}; will retry", url, status);
            return false;
        } catch (IOException e) {
            LOG.debug("webhook {} unreachable: {}; will retry", url, e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
