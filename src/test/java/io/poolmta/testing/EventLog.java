package io.poolmta.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.awaitility.Awaitility;

/** Reads a JSON-lines event file (the server-wide log or a file destination). */
public final class EventLog {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path file;

    public EventLog(Path file) {
        this.file = file;
    }

    /** The server-wide log of a server's data directory. */
    public static EventLog of(TestServer server) {
        return new EventLog(server.dataDir().resolve("events").resolve("events.jsonl"));
    }

    public List<JsonNode> all() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    out.add(JSON.readTree(line));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Events of one type ("Send", "Delivery", "Bounce", "DeliveryDelay") of one message. */
    public List<JsonNode> of(String messageId, String eventType) {
        return all().stream()
                .filter(e -> e.path("mail").path("messageId").asText().equals(messageId))
                .filter(e -> e.path("eventType").asText().equals(eventType))
                .toList();
    }

    public JsonNode await(String messageId, String eventType, Duration timeout) {
        return Awaitility.await()
                .atMost(timeout)
                .until(() -> of(messageId, eventType), l -> !l.isEmpty())
                .getFirst();
    }

    public List<JsonNode> awaitAll(Predicate<List<JsonNode>> condition, Duration timeout) {
        return Awaitility.await().atMost(timeout).until(this::all, condition::test);
    }
}
