package io.poolmta.events;

import io.poolmta.common.RepeatedFailureLog;
import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocketFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers events to webhooks, at least once, across restarts and process kills.
 * <p>
 * Contract. Each webhook destination (account, configuration set, name) has its own durable
 * {@link WebhookQueue} under {@code events/webhooks/ACCOUNT/SET/NAME/} and its own sender (a
 * virtual thread), so one slow or dead endpoint never delays another. {@link #enqueue} appends the
 * event to the queue file before it returns. The sender takes the oldest event, resolves and
 * checks the destination's current URL ({@link WebhookTargets}: refused internal addresses are
 * never connected to) and POSTs it; only after a 2xx does it move past the event, and it saves its
 * position durably at least every second or 100 events and whenever the queue runs empty. After a
 * stop, clean or not, it resumes at the saved position: an event may be sent twice, never lost.
 * <p>
 * Why an own queue rather than a position in the server-wide log: the server log holds every
 * account's events and is rotated by size, so each destination would read (and rotation would
 * have to wait for) everyone's events; a queue per destination holds just its own and deletes a
 * segment only after its sender passed it.
 * <p>
 * Failures. A POST that fails (no connection, timeout, 5xx, 408, 429) is retried with exponential
 * backoff from {@code initialBackoff} to {@code maxBackoff}, the destination's later events
 * waiting behind it, in order. An event that still fails once it has waited {@code maxAge} since
 * it was queued, an event the endpoint refuses for good (another 3xx or 4xx: redirects are not
 * followed), and an event whose destination now resolves to a refused address go to the
 * destination's {@link DeadLetterFile} ({@code events/dead-letter/ACCOUNT/SET/NAME.jsonl}), and the
 * next event is tried at once; {@link #replayDeadLetters} queues them again. Events of a
 * destination that was deleted (or is no longer a webhook) are dropped and logged. A destination
 * whose URL is changed sends its pending events to the new URL.
 */
public final class WebhookSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookSender.class);
    private static final int SAVE_EVERY_EVENTS = 100;
    private static final Duration SAVE_EVERY = Duration.ofSeconds(1);

    /** One destination's counters for status: events waiting, events dead-lettered, the last failure. */
    public record Status(DestinationKey destination, long pending, long deadLettered, Optional<String> lastError) {}

    private final Path queuesRoot;
    private final Path deadLetterRoot;
    private final WebhookTargets targets;
    private final Function<DestinationKey, Optional<String>> urls;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final Duration maxAge;
    private final Clock clock;
    private final WebhookPost http;
    private final long segmentBytes;
    private final Map<DestinationKey, Destination> destinations = new ConcurrentHashMap<>();
    private final AtomicLong lost = new AtomicLong();
    private final RepeatedFailureLog enqueueFailures = new RepeatedFailureLog(LOG, "queueing webhook events");
    private volatile boolean closed;

    /**
     * @param eventsDir the data directory's events folder (queues in webhooks/, dead letters in dead-letter/)
     * @param urls      a destination's current webhook URL, empty once it is deleted or no longer a webhook
     */
    public WebhookSender(
            Path eventsDir,
            WebhookTargets targets,
            Function<DestinationKey, Optional<String>> urls,
            Duration initialBackoff,
            Duration maxBackoff,
            Duration maxAge,
            Clock clock) {
        this(
                eventsDir,
                targets,
                urls,
                initialBackoff,
                maxBackoff,
                maxAge,
                clock,
                (SSLSocketFactory) SSLSocketFactory.getDefault(),
                WebhookQueue.DEFAULT_SEGMENT_BYTES);
    }

    WebhookSender(
            Path eventsDir,
            WebhookTargets targets,
            Function<DestinationKey, Optional<String>> urls,
            Duration initialBackoff,
            Duration maxBackoff,
            Duration maxAge,
            Clock clock,
            SSLSocketFactory tls,
            long segmentBytes) {
        this.queuesRoot = eventsDir.resolve("webhooks");
        this.deadLetterRoot = eventsDir.resolve("dead-letter");
        this.targets = targets;
        this.urls = urls;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.maxAge = maxAge;
        this.clock = clock;
        this.http = new WebhookPost(tls, Duration.ofSeconds(5), Duration.ofSeconds(10));
        this.segmentBytes = segmentBytes;
    }

    /** Opens every queue and dead-letter file left by an earlier run and starts their senders. */
    public void start() throws IOException {
        for (DestinationKey key : keysUnder(queuesRoot, false)) {
            destination(key);
        }
        for (DestinationKey key : keysUnder(deadLetterRoot, true)) {
            destination(key);
        }
        long pending = pending();
        if (pending > 0) {
            LOG.info("{} webhook event(s) pending from the last run", pending);
        }
    }

    private static List<DestinationKey> keysUnder(Path root, boolean files) throws IOException {
        List<DestinationKey> keys = new ArrayList<>();
        if (!Files.isDirectory(root)) {
            return keys;
        }
        try (Stream<Path> paths = Files.walk(root, 3)) {
            for (Path p : paths.toList()) {
                Path rel = root.relativize(p);
                if (rel.getNameCount() != 3 || Files.isDirectory(p) == files) {
                    continue;
                }
                String name = rel.getName(2).toString();
                if (files) {
                    if (!name.endsWith(".jsonl")) {
                        continue;
                    }
                    name = name.substring(0, name.length() - ".jsonl".length());
                }
                try {
                    keys.add(new DestinationKey(
                            rel.getName(0).toString(), rel.getName(1).toString(), name));
                } catch (IllegalArgumentException e) {
                    LOG.warn("ignoring {}: {}", p, e.getMessage());
                }
            }
        }
        return keys;
    }

    /** Queues an event for a webhook destination. Never throws: a queue that takes no writes is logged and counted. */
    public void enqueue(DestinationKey key, String json) {
        try {
            destination(key).queue.append(clock.millis(), json);
            enqueueFailures.succeeded();
        } catch (IOException | RuntimeException e) {
            lost.incrementAndGet();
            enqueueFailures.failed(lost.get() + " event(s) not queued", e);
        }
    }

    private Destination destination(DestinationKey key) throws IOException {
        Destination existing = destinations.get(key);
        if (existing != null) {
            return existing;
        }
        synchronized (destinations) {
            existing = destinations.get(key);
            if (existing != null) {
                return existing;
            }
            Destination d = new Destination(
                    key,
                    WebhookQueue.open(key.under(queuesRoot), segmentBytes),
                    new DeadLetterFile(deadLetterFile(key)));
            destinations.put(key, d);
            d.thread = Thread.ofVirtual().name("webhook-" + key).start(d::run);
            return d;
        }
    }

    private Path deadLetterFile(DestinationKey key) {
        return deadLetterRoot
                .resolve(key.accountId())
                .resolve(key.configurationSet())
                .resolve(key.name() + ".jsonl");
    }

    /** Webhook events waiting to be sent, over all destinations. */
    public long pending() {
        return destinations.values().stream().mapToLong(d -> d.queue.pending()).sum();
    }

    /** Webhook events in dead-letter files, over all destinations. */
    public long deadLettered() {
        return destinations.values().stream()
                .mapToLong(d -> d.deadLetters.count())
                .sum();
    }

    /** Events that could not be queued at all (a disk that took no writes). */
    public long lost() {
        return lost.get();
    }

    /** Per destination with anything pending or dead-lettered, or a failure since its last success. */
    public List<Status> status() {
        return destinations.values().stream()
                .filter(d -> d.queue.pending() > 0 || d.deadLetters.count() > 0 || d.lastError != null)
                .map(d -> new Status(d.key, d.queue.pending(), d.deadLetters.count(), Optional.ofNullable(d.lastError)))
                .sorted(Comparator.comparing(s -> s.destination().toString()))
                .toList();
    }

    /**
     * Queues the dead-lettered events of every destination {@code which} selects again (as new
     * events: their age starts now) and empties its dead-letter file. A destination that no longer
     * exists keeps its file. Returns how many events were queued again.
     */
    public long replayDeadLetters(Predicate<DestinationKey> which) throws IOException {
        long replayed = 0;
        for (Destination d : List.copyOf(destinations.values())) {
            if (!which.test(d.key) || d.deadLetters.count() == 0) {
                continue;
            }
            if (urls.apply(d.key).isEmpty()) {
                LOG.warn("not replaying the dead letters of {}: the destination no longer exists", d.key);
                continue;
            }
            synchronized (d.deadLetters) {
                List<String> events = d.deadLetters.events();
                for (String json : events) {
                    d.queue.append(clock.millis(), json);
                }
                d.queue.force();
                d.deadLetters.delete();
                replayed += events.size();
                LOG.info("replaying {} dead-lettered event(s) of {}", events.size(), d.key);
            }
        }
        return replayed;
    }

    /** Stops the senders (an event being sent is sent again after the restart) and saves their positions. */
    @Override
    public void close() {
        closed = true;
        List<Destination> all = List.copyOf(destinations.values());
        all.forEach(d -> d.queue.wake());
        all.forEach(d -> d.wakeUp());
        for (Destination d : all) {
            try {
                if (!d.thread.join(Duration.ofSeconds(3))) {
                    d.thread.interrupt();
                    d.thread.join(Duration.ofSeconds(1));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            d.queue.close();
        }
    }

    private enum Outcome {
        SENT,
        RETRY,
        REFUSED
    }

    /** One destination: its queue, its dead letters, its sender. */
    private final class Destination {
        final DestinationKey key;
        final WebhookQueue queue;
        final DeadLetterFile deadLetters;
        final Object pause = new Object();
        Thread thread;
        volatile String lastError;
        int failures; // consecutive failed attempts, over events: the backoff
        int attempts; // attempts on the head event
        long lastSave = System.nanoTime();
        int sinceSave;

        Destination(DestinationKey key, WebhookQueue queue, DeadLetterFile deadLetters) {
            this.key = key;
            this.queue = queue;
            this.deadLetters = deadLetters;
        }

        void run() {
            try {
                while (!closed) {
                    try {
                        step();
                    } catch (IOException | RuntimeException e) {
                        lastError = e.toString();
                        LOG.warn("webhook queue of {}: {}", key, e.toString());
                        sleep(backoff(++failures));
                    }
                }
            } catch (InterruptedException e) {
                // closing
            } finally {
                try {
                    queue.savePosition();
                } catch (IOException e) {
                    LOG.warn(
                            "could not save the webhook position of {} (its events since will be sent again): {}",
                            key,
                            e.toString());
                }
            }
        }

        private void step() throws IOException, InterruptedException {
            WebhookQueue.Entry head = queue.peek();
            if (head == null && queue.pending() > 0) {
                sleep(Duration.ofMillis(100)); // counted but not readable (yet): do not spin
                return;
            }
            if (head == null) {
                queue.savePosition();
                sinceSave = 0;
                lastSave = System.nanoTime();
                queue.awaitEvent(Duration.ofSeconds(1));
                return;
            }
            Optional<String> url = urls.apply(key);
            if (url.isEmpty()) {
                long dropped = queue.discard();
                LOG.warn(
                        "dropped {} webhook event(s) of {}: the destination no longer exists or is no longer a webhook",
                        dropped,
                        key);
                return;
            }
            attempts++;
            String reason;
            Outcome outcome;
            try {
                WebhookTargets.Target target = targets.resolve(url.get());
                int status = http.post(target, head.json().getBytes(StandardCharsets.UTF_8));
                if (status / 100 == 2) {
                    outcome = Outcome.SENT;
                    reason = null;
                } else {
                    boolean retry = status >= 500 || status == 408 || status == 425 || status == 429;
                    outcome = retry ? Outcome.RETRY : Outcome.REFUSED;
                    reason = "HTTP " + status + (retry ? "" : " (not retried)");
                }
            } catch (WebhookRefusedException e) {
                outcome = Outcome.REFUSED;
                reason = "refused: " + e.getMessage();
                LOG.warn("webhook {} of {} refused: {}", url.get(), key, e.getMessage());
            } catch (UnknownHostException e) {
                outcome = Outcome.RETRY;
                reason = "unknown host " + e.getMessage();
            } catch (IOException e) {
                outcome = Outcome.RETRY;
                reason = e.toString();
            }
            if (closed && outcome != Outcome.SENT) {
                return; // stopping: the event stays queued for the next run
            }
            switch (outcome) {
                case SENT -> {
                    failures = 0;
                    lastError = null;
                    passHead();
                }
                case REFUSED -> {
                    lastError = reason;
                    deadLetter(head, url.get(), reason);
                }
                case RETRY -> {
                    lastError = reason;
                    failures++;
                    LOG.debug("webhook {} of {}: {}; will retry", url.get(), key, reason);
                    if (clock.millis() - head.queuedAtMillis() >= maxAge.toMillis()) {
                        deadLetter(head, url.get(), reason + "; gave up after " + maxAge);
                    } else {
                        sleep(backoff(failures));
                    }
                }
            }
        }

        private void deadLetter(WebhookQueue.Entry head, String url, String reason) throws IOException {
            synchronized (deadLetters) {
                deadLetters.add(
                        head.json(),
                        Instant.ofEpochMilli(head.queuedAtMillis()),
                        clock.instant(),
                        url,
                        attempts,
                        reason);
            }
            LOG.info("webhook event of {} dead-lettered after {} attempt(s): {}", key, attempts, reason);
            passHead();
        }

        private void passHead() throws IOException {
            queue.advance();
            attempts = 0;
            sinceSave++;
            if (sinceSave >= SAVE_EVERY_EVENTS || System.nanoTime() - lastSave >= SAVE_EVERY.toNanos()) {
                queue.savePosition();
                sinceSave = 0;
                lastSave = System.nanoTime();
            }
        }

        private Duration backoff(int failures) {
            Duration d = initialBackoff;
            for (int i = 1; i < failures && d.compareTo(maxBackoff) < 0; i++) {
                d = d.multipliedBy(2);
            }
            return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
        }

        private void sleep(Duration duration) throws InterruptedException {
            synchronized (pause) {
                if (!closed) {
                    pause.wait(Math.max(1, duration.toMillis()));
                }
            }
        }

        void wakeUp() {
            synchronized (pause) {
                pause.notifyAll();
            }
        }
    }
}
