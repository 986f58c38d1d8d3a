package io.poolmta.spool;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads stored records back by reference, for delivery: one read-only channel per segment, opened
 * on first use and kept until the segment is deleted ({@link #forget}); reads are positional, so
 * any number of threads read at once. Thread-safe.
 */
final class SegmentReaders implements AutoCloseable {
    private final Path directory;
    private final FileChannelFactory channels;
    private final Map<Long, FileChannel> open = new ConcurrentHashMap<>();

    SegmentReaders(Path directory, FileChannelFactory channels) {
        this.directory = directory;
        this.channels = channels;
    }

    /**
     * The MESSAGE record {@code ref} points at, in two reads: its head, and its content into an
     * array of its own, so the content needs no copy out of the record.
     */
    RecordCodec.MessageFrame message(SpoolRef ref) throws IOException {
        int contentStart = ref.frameBytes() - ref.contentBytes();
        byte[] head = read(ref, ref.offset(), contentStart);
        return new RecordCodec.MessageFrame(head, read(ref, ref.offset() + contentStart, ref.contentBytes()));
    }

    /** The first {@code length} bytes of the content of the record {@code ref} points at, unchecked. */
    byte[] contentStart(SpoolRef ref, int length) throws IOException {
        return read(ref, ref.offset() + ref.frameBytes() - ref.contentBytes(), Math.min(length, ref.contentBytes()));
    }

    private byte[] read(SpoolRef ref, long from, int length) throws IOException {
        FileChannel channel = channel(ref.segment());
        ByteBuffer buffer = ByteBuffer.allocate(length);
        long position = from;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n < 0) {
                throw new EOFException("segment " + ref.segment() + " ends before the record at " + ref.offset());
            }
            position += n;
        }
        return buffer.array();
    }

    /** The segment was deleted or set aside: close its channel. */
    void forget(long segment) {
        FileChannel channel = open.remove(segment);
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // a read-only channel: nothing was pending on it
            }
        }
    }

    @Override
    public void close() {
        open.keySet().forEach(this::forget);
    }

    private FileChannel channel(long segment) throws IOException {
        FileChannel channel = open.get(segment);
        if (channel != null) {
            return channel;
        }
        Path file = SegmentLog.path(directory, segment);
        FileChannel opened;
        try {
            opened = channels.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "the segment is gone: its messages are finished");
        }
        FileChannel raced = open.putIfAbsent(segment, opened);
        if (raced != null) {
            opened.close();
            return raced;
        }
        return opened;
    }
}
