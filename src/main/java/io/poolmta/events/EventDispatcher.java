package io.poolmta.events;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EventPublisher}: renders each event once, appends it to the server-wide log
 * (events/events.jsonl in the data directory), then hands it to every enabled destination of the
 * message's configuration set that matches its type: a file destination's line is appended to its
 * file, a webhook's event to the webhook's durable queue ({@link WebhookSender}). A log file that does not take writes (a full
 * disk) holds its lines in memory until it does ({@link JsonLinesFile}) and does not keep the event
 * from the other destinations. Then every {@link EventTap} sees the event, in the order they were
 * added. Failures are logged and counted, never thrown into the delivery path.
 */
public final class EventDispatcher implements EventPublisher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);

    private final SesEventJson json;
    private final EventDestinationService destinations;
    private final WebhookSender webhooks;
    private final Path eventsDir;
    private final JsonLinesFile serverLog;
    private final Map<Path, JsonLinesFile> files = new ConcurrentHashMap<>();
    private final AtomicLong published = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final List<EventTap> taps = new CopyOnWriteArrayList<>();

    public EventDispatcher(
            SesEventJson json, EventDestinationService destinations, WebhookSender webhooks, Path eventsDir) {
        this.json = json;
        this.destinations = destinations;
        this.webhooks = webhooks;
        this.eventsDir = eventsDir;
        this.serverLog = new JsonLinesFile(eventsDir.resolve("events.jsonl"));
    }

    @Override
    public void publish(MailEvent event) {
        try {
            byte[] line = json.line(event);
            serverLog.append(line);
            event.envelope().configurationSet().ifPresent(set -> {
                for (EventDestination d : destinations.forSet(event.envelope().accountId(), set)) {
                    if (!d.wants(event.type())) {
                        continue;
                    }
                    switch (d.kind()) {
                        case WEBHOOK ->
                            webhooks.enqueue(
                                    DestinationKey.of(d), new String(line, 0, line.length - 1, StandardCharsets.UTF_8));
                        case FILE -> appendFile(eventsDir.resolve(d.accountId()).resolve(d.target() + ".jsonl"), line);
                    }
                }
            });
            published.incrementAndGet();
        } catch (RuntimeException e) {
            failures.incrementAndGet();
            LOG.warn(
                    "could not publish {} event of {}",
                    event.type(),
                    event.envelope().messageId(),
                    e);
        }
        for (EventTap tap : taps) {
            try {
                tap.observe(event);
            } catch (RuntimeException e) {
                failures.incrementAndGet();
                LOG.warn(
                        "an event tap failed on the {} event of {}",
                        event.type(),
                        event.envelope().messageId(),
                        e);
            }
        }
    }

    /** Adds a tap that sees every event published from now on, after the ones added before it. */
    public void addTap(EventTap tap) {
        taps.add(tap);
    }

    /** Appends to a file destination; a file that does not take writes holds its lines (see {@link JsonLinesFile}). */
    private void appendFile(Path file, byte[] line) {
        files.computeIfAbsent(file, JsonLinesFile::new).append(line);
    }

    /** Closes the event files. */
    @Override
    public void close() {
        serverLog.close();
        files.values().forEach(JsonLinesFile::close);
    }

    public long published() {
        return published.get();
    }

    public long failures() {
        return failures.get();
    }
}
