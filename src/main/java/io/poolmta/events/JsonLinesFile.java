package io.poolmta.events;

import io.poolmta.common.RepeatedFailureLog;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends one JSON document per line to a file, creating it and its folder on first use, and keeps
 * it open between events. Thread-safe. Lines that arrive while another is being written are
 * queued, and the next writer writes all of them with one gathering write, so concurrent events
 * cost one system call rather than one each; lines are never split or interleaved.
 * <p>
 * A write that fails (a full disk, a missing folder) loses nothing at once: its lines are held in
 * memory, in order, and go to the file before any newer line as soon as a write works again (each
 * append and {@link #close} tries). So when {@link #append} returns, its line is in the file
 * (written, not forced) or held. At most {@link #MAX_HELD_BYTES} are held; beyond that the oldest
 * held lines are dropped and counted ({@link #dropped}). Failures are logged once per spell and
 * then summarised ({@link RepeatedFailureLog}), not once per event.
 * <p>
 * The file does not grow forever: before a write would take it past {@link #DEFAULT_MAX_BYTES} it
 * is renamed {@code NAME.1} (an older {@code NAME.1} becomes {@code NAME.2}, and so on; the oldest
 * beyond {@link #DEFAULT_KEEP} is deleted) and a new file is started, as logrotate does; a line
 * is never split across two files.
 */
final class JsonLinesFile implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(JsonLinesFile.class);
    /** At most this many new lines go into one write. */
    private static final int MAX_BATCH = 256;
    /** What a full disk may hold back in memory: about 30,000 events. */
    static final long MAX_HELD_BYTES = 32L << 20;
    /** Rotation: at most 256 MiB per file and 8 older files, about 2.3 GiB of events in all. */
    static final long DEFAULT_MAX_BYTES = 256L << 20;

    static final int DEFAULT_KEEP = 8;

    private final Path file;
    private final ReentrantLock lock = new ReentrantLock();
    private final ConcurrentLinkedQueue<Line> pending = new ConcurrentLinkedQueue<>();
    private final RepeatedFailureLog failures;
    /** Lines whose write failed, oldest first; guarded by lock. Partly written ones keep their position. */
    private final ArrayDeque<ByteBuffer> held = new ArrayDeque<>();

    private long heldBytes;
    private long dropped;
    private final long maxBytes;
    private final int keep;
    private FileChannel channel;
    private long size; // of the open file

    /** A queued line; {@code taken} once a writer (under the lock) wrote or held it. */
    private static final class Line {
        final ByteBuffer bytes;
        boolean taken;

        Line(byte[] bytes) {
            this.bytes = ByteBuffer.wrap(bytes);
        }
    }

    JsonLinesFile(Path file) {
        this(file, DEFAULT_MAX_BYTES, DEFAULT_KEEP);
    }

    JsonLinesFile(Path file, long maxBytes, int keep) {
        if (maxBytes < 1 || keep < 1) {
            throw new IllegalArgumentException("maxBytes and keep must be positive");
        }
        this.file = file;
        this.maxBytes = maxBytes;
        this.keep = keep;
        this.failures = new RepeatedFailureLog(LOG, "appending to " + file);
    }

    /** Appends {@code line}: one JSON document in UTF-8, ending in '\n'. Never throws for I/O: see the class comment. */
    void append(byte[] line) {
        Line mine = new Line(line);
        pending.add(mine);
        lock.lock();
        try {
            // an earlier holder of the lock may have taken our line already; else it is queued
            while (!mine.taken) {
                writeBatch();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Lines held in memory because the file did not take them (yet). */
    long heldLines() {
        lock.lock();
        try {
            return held.size();
        } finally {
            lock.unlock();
        }
    }

    /** Lines dropped because more than {@link #MAX_HELD_BYTES} were held. */
    long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    /** Writes the held lines and then the oldest queued ones (at most MAX_BATCH) with one gathering write. */
    private void writeBatch() {
        List<Line> batch = new ArrayList<>();
        for (Line line; batch.size() < MAX_BATCH && (line = pending.poll()) != null; ) {
            batch.add(line);
        }
        if (batch.isEmpty() && held.isEmpty()) {
            return;
        }
        ByteBuffer[] buffers = new ByteBuffer[held.size() + batch.size()];
        int n = 0;
        for (ByteBuffer b : held) {
            buffers[n++] = b;
        }
        for (Line line : batch) {
            buffers[n++] = line.bytes;
        }
        try {
            write(buffers);
            held.clear();
            heldBytes = 0;
            failures.succeeded();
        } catch (IOException | RuntimeException e) {
            closeQuietly();
            held.clear(); // rebuilt from the buffers: what a partial write took is not written again
            heldBytes = 0;
            for (ByteBuffer b : buffers) {
                if (b.hasRemaining()) {
                    held.addLast(b);
                    heldBytes += b.remaining();
                }
            }
            while (heldBytes > MAX_HELD_BYTES && held.size() > 1) {
                heldBytes -= held.removeFirst().remaining();
                dropped++;
            }
            failures.failed(
                    held.size() + " lines held in memory until it works again"
                            + (dropped > 0 ? ", " + dropped + " dropped for want of room" : ""),
                    e);
        }
        for (Line line : batch) {
            line.taken = true;
        }
    }

    private void write(ByteBuffer[] buffers) throws IOException {
        if (channel == null || !channel.isOpen()) {
            Files.createDirectories(file.getParent());
            channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
            size = channel.size();
        }
        long bytes = 0;
        for (ByteBuffer b : buffers) {
            bytes += b.remaining();
        }
        if (size > 0 && size + bytes > maxBytes && !partlyWritten(buffers)) {
            rotate();
        }
        ByteBuffer last = buffers[buffers.length - 1];
        while (last.hasRemaining()) {
            size += channel.write(buffers);
        }
    }

    /** A held line whose start is already in the file must be finished there, not in the next file. */
    private static boolean partlyWritten(ByteBuffer[] buffers) {
        return buffers[0].position() > 0;
    }

    /** NAME becomes NAME.1, NAME.1 becomes NAME.2, ...; the one past {@code keep} is deleted; a new NAME is opened. */
    private void rotate() throws IOException {
        closeQuietly();
        Files.deleteIfExists(rotated(keep));
        for (int i = keep - 1; i >= 1; i--) {
            if (Files.exists(rotated(i))) {
                Files.move(rotated(i), rotated(i + 1), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Files.move(file, rotated(1), StandardCopyOption.REPLACE_EXISTING);
        channel =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
        size = 0;
    }

    private Path rotated(int n) {
        return file.resolveSibling(file.getFileName() + "." + n);
    }

    /** Tries once more to write what is held, then closes the file; what still cannot be written is logged as lost. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (!held.isEmpty()) {
                writeBatch();
            }
            if (!held.isEmpty()) {
                LOG.warn("{}: {} lines could not be written and are lost", file, held.size());
            }
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
