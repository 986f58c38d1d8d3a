package io.poolmta.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Appends one JSON document per line to a file, creating it and its folder on first use, and keeps
 * it open between events. Thread-safe, and when {@link #append} returns its line is in the file
 * (written, not forced). Lines that arrive while another is being written are queued, and the
 * next writer writes all of them with one gathering write, so concurrent events cost one system
 * call rather than one each; lines are never split or interleaved. A failed write fails every
 * line of its batch: each of their callers gets the IOException.
 */
final class JsonLinesFile implements AutoCloseable {
    /** At most this many lines go into one write. */
    private static final int MAX_BATCH = 256;

    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Line> pending = new ConcurrentLinkedQueue<>();
    private FileChannel channel;

    /** A queued line and, once a writer has taken it (under the lock), how that went. */
    private static final class Line {
        final ByteBuffer bytes;
        boolean written;
        IOException failure;

        Line(byte[] bytes) {
            this.bytes = ByteBuffer.wrap(bytes);
        }
    }

    JsonLinesFile(Path file) {
        this.file = file;
    }

    /** Appends {@code line}: one JSON document in UTF-8, ending in '\n'. */
    void append(byte[] line) throws IOException {
        Line mine = new Line(line);
        pending.add(mine);
        lock.lock();
        try {
            // an earlier holder of the lock may have written our line already; else it is queued
            while (!mine.written) {
                writeBatch();
            }
            if (mine.failure != null) {
                throw new IOException("could not append to " + file + ": " + mine.failure.getMessage(), mine.failure);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes the oldest queued lines (at most MAX_BATCH) with one gathering write; never throws. */
    private void writeBatch() {
        List<Line> batch = new ArrayList<>();
        for (Line line; batch.size() < MAX_BATCH && (line = pending.poll()) != null; ) {
            batch.add(line);
        }
        if (batch.isEmpty()) {
            return;
        }
        IOException failure = null;
        try {
            if (channel == null || !channel.isOpen()) {
                Files.createDirectories(file.getParent());
                channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                        StandardOpenOption.WRITE);
            }
            ByteBuffer[] buffers = new ByteBuffer[batch.size()];
            for (int i = 0; i < buffers.length; i++) {
                buffers[i] = batch.get(i).bytes;
            }
            ByteBuffer last = buffers[buffers.length - 1];
            while (last.hasRemaining()) {
                channel.write(buffers);
            }
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            failure = e instanceof IOException io ? io : new IOException(e);
        }
        for (Line line : batch) {
            line.written = true;
            line.failure = failure;
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
