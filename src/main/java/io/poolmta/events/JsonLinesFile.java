package io.poolmta.events;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends one JSON document per line to a file, creating it and its folder on first use, and keeps
 * it open between events (each line is written whole with one write call). Thread-safe.
 */
final class JsonLinesFile implements AutoCloseable {
    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();
    private java.nio.channels.FileChannel channel;

    JsonLinesFile(Path file) {
        this.file = file;
    }

    void append(String json) throws IOException {
        lock.lock();
        try {
            if (channel == null || !channel.isOpen()) {
                Files.createDirectories(file.getParent());
                channel = java.nio.channels.FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                        StandardOpenOption.WRITE);
            }
            java.nio.ByteBuffer line = java.nio.ByteBuffer.wrap((json + "\n").getBytes(StandardCharsets.UTF_8));
            while (line.hasRemaining()) {
                channel.write(line);
            }
        } catch (IOException e) {
            closeQuietly();
            throw e;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            closeQuietly();
        } finally {
            lock.unlock();
        }
    }

    private void closeQuietly() {
        try {
            if (channel != null) {
                channel.close();
            }
        } catch (IOException ignored) {
            // nothing more to do with a broken file
        } finally {
            channel = null;
        }
    }
}
