package io.poolmta.events;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable queue of one webhook destination: a folder of append-only segment files
 * ({@code 000000000001.jsonl}, …), one event per line as {@code QUEUED_AT_MILLIS JSON}, and a
 * {@code position} file saying how far the sender got (segment and byte offset).
 * <p>
 * Invariants: lines are only appended, whole, to the newest segment; a segment is deleted only
 * once the reader has passed its end and a newer segment exists, so nothing unread is ever
 * removed (no rotation can lose a pending event). {@link #append} returns once the line is written
 * to the file (in the OS, which keeps it across a process kill; not forced to the disk). The
 * position is written to a temporary file, forced and renamed over {@code position}: after any
 * stop the reader resumes at the last saved position, so events since then are sent again (at
 * least once, never lost). A partial line at the end of the newest segment (a write that failed
 * half-way) is cut off at open. Writers are any threads; the reader ({@link #peek},
 * {@link #advance}, {@link #savePosition}) is one thread.
 */
final class WebhookQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookQueue.class);
    static final long DEFAULT_SEGMENT_BYTES = 16L << 20;
    private static final String POSITION = "position";
    private static final int READ_CHUNK = 64 * 1024;
    private static final int MAX_LINE = 64 << 20;

    /** A queued event: when it was queued, its JSON, and the length of its line. */
    record Entry(long queuedAtMillis, String json, int lineBytes) {}

    private final Path dir;
    private final long segmentBytes;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final AtomicLong pending = new AtomicLong();

    // writer, under lock
    private long writeSegment;
    private FileChannel writer;
    private long writeSize;

    // reader (one thread)
    private long readSegment;
    private long readOffset;
    private FileChannel reader;
    private long readerSegment = -1;
    private Entry head;
    private long savedSegment = -1;
    private long savedOffset = -1;

    private WebhookQueue(Path dir, long segmentBytes) {
        this.dir = dir;
        this.segmentBytes = segmentBytes;
    }

    /** Opens (or creates) the queue in {@code dir}, counting the events still to send. */
    static WebhookQueue open(Path dir, long segmentBytes) throws IOException {
        WebhookQueue q = new WebhookQueue(dir, segmentBytes);
        q.recover();
        return q;
    }

    private void recover() throws IOException {
        Files.createDirectories(dir);
        long posSegment = 1;
        long posOffset = 0;
        Path position = dir.resolve(POSITION);
        if (Files.exists(position)) {
            String[] parts =
                    Files.readString(position, StandardCharsets.US_ASCII).trim().split(" ");
            try {
                posSegment = Long.parseLong(parts[0]);
                posOffset = Long.parseLong(parts[1]);
            } catch (RuntimeException e) {
                LOG.warn(
                        "{}: unreadable position '{}'; sending the queue from its start",
                        position,
                        String.join(" ", parts));
                posSegment = 0;
                posOffset = 0;
            }
        }
        List<Long> segments = new ArrayList<>();
        for (long s : segments()) {
            if (s < posSegment) {
                Files.deleteIfExists(segment(s)); // passed before the last stop
            } else {
                segments.add(s);
            }
        }
        if (segments.isEmpty() || segments.getFirst() != posSegment) {
            // the position's segment was finished and deleted: the next one starts at its beginning
            posSegment = segments.isEmpty() ? Math.max(posSegment, 1) : segments.getFirst();
            posOffset = 0;
        }
        if (!segments.isEmpty() && posOffset > Files.size(segment(posSegment))) {
            LOG.warn("{}: position {} is past the end of its segment; resuming at its end", dir, posOffset);
            posOffset = Files.size(segment(posSegment));
        }
        readSegment = posSegment;
        readOffset = posOffset;
        writeSegment = segments.isEmpty() ? readSegment : segments.getLast();
        if (!segments.isEmpty()) {
            cutPartialTail(segment(writeSegment));
        }
        long count = 0;
        for (long s : segments) {
            count += countLines(segment(s), s == readSegment ? readOffset : 0);
        }
        pending.set(count);
    }

    private List<Long> segments() throws IOException {
        List<Long> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(dir)) {
            files.map(p -> p.getFileName().toString())
                    .filter(n -> n.matches("[0-9]{12}\\.jsonl"))
                    .forEach(n -> out.add(Long.parseLong(n.substring(0, 12))));
        }
        out.sort(null);
        return out;
    }

    private Path segment(long n) {
        return dir.resolve(String.format("%012d.jsonl", n));
    }

    private static void cutPartialTail(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = ch.size();
            long end = size;
            ByteBuffer one = ByteBuffer.allocate(1);
            while (end > 0) {
                one.clear();
                ch.read(one, end - 1);
                if (one.get(0) == '\n') {
                    break;
                }
                end--;
            }
            if (end < size) {
                LOG.warn("{}: cutting off {} bytes of an unfinished line", file, size - end);
                ch.truncate(end);
            }
        }
    }

    private static long countLines(Path file, long from) throws IOException {
        long lines = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(READ_CHUNK);
            long pos = from;
            int n;
            while ((n = ch.read(buf.clear(), pos)) > 0) {
                for (int i = 0; i < n; i++) {
                    if (buf.get(i) == '\n') {
                        lines++;
                    }
                }
                pos += n;
            }
        }
        return lines;
    }

    /** Appends one event. Thread-safe; on a failed write nothing of the line stays in the file. */
    void append(long queuedAtMillis, String json) throws IOException {
        byte[] line = (queuedAtMillis + " " + json.replace('\n', ' ') + "\n").getBytes(StandardCharsets.UTF_8);
        lock.lock();
        try {
            if (writer != null && writeSize > 0 && writeSize + line.length > segmentBytes) {
                writer.close();
                writer = null;
                writeSegment++;
            }
            if (writer == null || !writer.isOpen()) {
                writer = FileChannel.open(
                        segment(writeSegment),
                        StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE,
                        StandardOpenOption.APPEND);
                writeSize = writer.size();
            }
            ByteBuffer buf = ByteBuffer.wrap(line);
            try {
                while (buf.hasRemaining()) {
                    writer.write(buf);
                }
            } catch (IOException e) {
                try {
                    writer.truncate(writeSize);
                } catch (IOException ignored) {
                    // cut off at the next open
                }
                writer.close();
                writer = null;
                throw e;
            }
            writeSize += line.length;
            pending.incrementAndGet();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Forces what was appended to the disk (after a replay, so the dead-letter file can go). */
    void force() throws IOException {
        lock.lock();
        try {
            if (writer != null && writer.isOpen()) {
                writer.force(false);
            }
        } finally {
            lock.unlock();
        }
    }

    long pending() {
        return pending.get();
    }

    /** Waits until an event is pending, {@link #wake} is called or the time is up. */
    void awaitEvent(Duration timeout) throws InterruptedException {
        lock.lock();
        try {
            if (pending.get() == 0) {
                arrived.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    void wake() {
        lock.lock();
        try {
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The oldest event not yet {@link #advance}d past, or null when there is none. Reader only. */
    Entry peek() throws IOException {
        while (head == null) {
            long current;
            lock.lock();
            try {
                current = writeSegment;
            } finally {
                lock.unlock();
            }
            Entry next = readLine();
            if (next != null) {
                head = next;
                break;
            }
            if (current <= readSegment) {
                return null; // nothing more yet
            }
            // the writer moved on before we looked, so this segment is complete: read it once more
            next = readLine();
            if (next != null) {
                head = next;
                break;
            }
            long leftover = size(readSegment) - readOffset;
            if (leftover > 0) {
                LOG.warn("{}: skipping {} bytes of an unfinished line", segment(readSegment), leftover);
            }
            closeReader();
            Files.deleteIfExists(segment(readSegment));
            readSegment++;
            readOffset = 0;
        }
        return head;
    }

    private long size(long seg) throws IOException {
        try {
            return Files.size(segment(seg));
        } catch (NoSuchFileException e) {
            return 0;
        }
    }

    private Entry readLine() throws IOException {
        while (true) {
            if (reader == null || readerSegment != readSegment) {
                closeReader();
                if (!Files.exists(segment(readSegment))) {
                    return null;
                }
                reader = FileChannel.open(segment(readSegment), StandardOpenOption.READ);
                readerSegment = readSegment;
            }
            int chunk = READ_CHUNK;
            while (true) {
                ByteBuffer buf = ByteBuffer.allocate(chunk);
                int n = reader.read(buf, readOffset);
                if (n <= 0) {
                    return null;
                }
                int newline = -1;
                for (int i = 0; i < n; i++) {
                    if (buf.get(i) == '\n') {
                        newline = i;
                        break;
                    }
                }
                if (newline < 0) {
                    if (n < chunk || chunk >= MAX_LINE) {
                        return null; // a line still being written (or absurdly long)
                    }
                    chunk *= 4;
                    continue;
                }
                String text = new String(buf.array(), 0, newline, StandardCharsets.UTF_8);
                int space = text.indexOf(' ');
                try {
                    long queuedAt = Long.parseLong(text.substring(0, space));
                    return new Entry(queuedAt, text.substring(space + 1), newline + 1);
                } catch (RuntimeException e) {
                    LOG.warn("{}: skipping a malformed line at {}", segment(readSegment), readOffset);
                    readOffset += newline + 1;
                    pending.decrementAndGet();
                    break; // the outer loop reads the next line
                }
            }
        }
    }

    /** Passes the head event (sent, or dead-lettered). Reader only. */
    void advance() {
        if (head == null) {
            throw new IllegalStateException("nothing to advance past");
        }
        readOffset += head.lineBytes();
        head = null;
        pending.decrementAndGet();
    }

    /** Whether the reader moved since the last {@link #savePosition}. */
    boolean moved() {
        return readSegment != savedSegment || readOffset != savedOffset;
    }

    /** Writes the reader's position durably (temporary file, forced, renamed over the old one). */
    void savePosition() throws IOException {
        if (!moved()) {
            return;
        }
        Path tmp = dir.resolve(POSITION + ".tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.wrap((readSegment + " " + readOffset + "\n").getBytes(StandardCharsets.US_ASCII)));
            ch.force(true);
        }
        try {
            Files.move(tmp, dir.resolve(POSITION), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, dir.resolve(POSITION), StandardCopyOption.REPLACE_EXISTING);
        }
        savedSegment = readSegment;
        savedOffset = readOffset;
    }

    /** Drops every queued event (the destination is gone). Reader only. */
    long discard() throws IOException {
        lock.lock();
        try {
            long dropped = pending.getAndSet(0);
            if (writer != null) {
                writer.close();
                writer = null;
            }
            closeReader();
            for (long s : segments()) {
                Files.deleteIfExists(segment(s));
            }
            writeSegment++;
            readSegment = writeSegment;
            readOffset = 0;
            head = null;
            savePosition();
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    private void closeReader() throws IOException {
        if (reader != null) {
            reader.close();
            reader = null;
            readerSegment = -1;
        }
    }

    @Override
    public void close() {
        lock.lock();
        try {
            if (writer != null) {
                writer.close();
                writer = null;
            }
            closeReader();
        } catch (IOException e) {
            LOG.debug("closing {}: {}", dir, e.toString());
        } finally {
            lock.unlock();
        }
    }
}
