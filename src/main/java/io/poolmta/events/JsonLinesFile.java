package io.poolmta.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/** Appends one JSON document per line to a file, creating it and its folder on first use. Thread-safe. */
final class JsonLinesFile {
    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();

    JsonLinesFile(Path file) {
        this.file = file;
    }

    void append(String json) throws IOException {
        lock.lock();
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, json + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        } finally {
            lock.unlock();
        }
    }
}
