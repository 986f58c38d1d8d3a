package io.poolmta.events;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The dead-letter file of one webhook destination
 * ({@code events/dead-letter/ACCOUNT/SET/NAME.jsonl}): one JSON object per line for each event
 * the destination did not take in time or refused for good, with {@code deadLetteredAt},
 * {@code queuedAt}, {@code url}, {@code attempts}, {@code reason} and the {@code event} itself.
 * Each line is forced to the disk before the queue moves past its event, so an event is always
 * in the queue, in this file, or delivered. {@link #events()} and {@link #delete()} serve a replay.
 */
final class DeadLetterFile {
    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterFile.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;
    private long count;

    DeadLetterFile(Path file) throws IOException {
        this.file = file;
        this.count = Files.exists(file) ? lines().size() : 0;
    }

    synchronized void add(String eventJson, Instant queuedAt, Instant now, String url, int attempts, String reason)
            throws IOException {
        ObjectNode line = JSON.createObjectNode();
        line.put("deadLetteredAt", now.toString())
                .put("queuedAt", queuedAt.toString())
                .put("url", url)
                .put("attempts", attempts)
                .put("reason", reason);
        JsonNode event;
        try {
            event = JSON.readTree(eventJson);
        } catch (IOException e) {
            event = JSON.getNodeFactory().textNode(eventJson);
        }
        line.set("event", event);
        byte[] bytes = (JSON.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
        Files.createDirectories(file.getParent());
        try (FileChannel ch = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        }
        count++;
    }

    synchronized long count() {
        return count;
    }

    /** The dead-lettered events' JSON, oldest first. */
    synchronized List<String> events() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : lines()) {
            try {
                JsonNode event = JSON.readTree(line).get("event");
                if (event != null) {
                    out.add(event.isTextual() ? event.textValue() : JSON.writeValueAsString(event));
                }
            } catch (IOException e) {
                LOG.warn("{}: skipping an unreadable line", file);
            }
        }
        return out;
    }

    synchronized void delete() throws IOException {
        Files.deleteIfExists(file);
        count = 0;
    }

    private List<String> lines() throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank())
                .toList();
    }
}
