package io.poolmta.spool;

import static io.poolmta.spool.RecordCodec.FILE_HEADER_BYTES;
import static io.poolmta.spool.RecordCodec.RECORD_HEADER_BYTES;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Reads one segment file front to back and hands every intact record to a visitor. Reading stops at
 * the first record that is torn (shorter than its header says), has a bad magic, an unknown type or
 * a checksum mismatch: what follows cannot be framed reliably. Where only zeros are left (the
 * stretch {@link SegmentLog} writes ahead of its records) the log ends cleanly. The outcome tells a
 * torn tail (what a crash during a write leaves) from corruption. Corrupt data never throws; only an
 * I/O failure of the file itself does.
 */
final class SegmentReader {
    enum Header {
        /** The file's header is ours: its records were read. */
        VALID,
        /** Shorter than a header: a segment whose creation was cut by a crash. It holds nothing. */
        TORN,
        /** A full-length header that is not ours (other magic or format version): not read, not touched. */
        FOREIGN
    }

    /**
     * Where reading stopped and why; {@code problem} is empty when the whole file was read.
     * {@code tornTail} tells a problem a crash explains (the file ends inside a record, or a record
     * whose checksum fails is followed only by zeros) from real corruption (bad magic, checksum,
     * type with more data behind).
     */
    record Outcome(Header header, long offset, Optional<String> problem, boolean tornTail) {}

    /** Gets each intact record; {@code buffer} is only valid during the call. */
    interface Visitor {
        void record(long offset, RecordCodec.Type type, byte[] buffer, int payloadOffset, int payloadLength);
    }

    private static final int WINDOW_BYTES = 4 << 20;

    private SegmentReader() {}

    static Outcome read(Path file, Visitor visitor) throws IOException {
        long size = Files.size(file);
        if (size < FILE_HEADER_BYTES) {
            return new Outcome(Header.TORN, 0, Optional.of("torn segment header: file has " + size + " bytes"), true);
        }
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Window window = new Window(channel, size);
            int at = window.ensure(0, FILE_HEADER_BYTES);
            ByteBuffer view = ByteBuffer.wrap(window.bytes);
            int magic = view.getInt(at);
            int version = view.getInt(at + 4);
            if (magic != RecordCodec.FILE_MAGIC || version != RecordCodec.FORMAT_VERSION) {
                return new Outcome(
                        Header.FOREIGN,
                        0,
                        Optional.of(String.format(
                                "not a spool segment of format %d (magic %08x, version %d): left in place",
                                RecordCodec.FORMAT_VERSION, magic, version)),
                        false);
            }
            long offset = FILE_HEADER_BYTES;
            while (offset < size) {
                long left = size - offset;
                if (left < RECORD_HEADER_BYTES) {
                    return torn(offset, "torn record header: " + left + " bytes at the end of the file");
                }
                at = window.ensure(offset, RECORD_HEADER_BYTES);
                view = ByteBuffer.wrap(window.bytes);
                if (view.getInt(at) != RecordCodec.RECORD_MAGIC) {
                    boolean zeros = window.isZero(offset, size);
                    if (zeros) { // the zeros SegmentLog writes ahead of its records: the log ends here
                        return new Outcome(Header.VALID, offset, Optional.empty(), false);
                    }
                    return stop(offset, String.format("bad record magic %08x", view.getInt(at)), false);
                }
                byte typeCode = window.bytes[at + 4];
                int length = view.getInt(at + 5);
                int expected = view.getInt(at + 9);
                if (length < 0 || length > left - RECORD_HEADER_BYTES) {
                    return torn(
                            offset,
                            "torn record: length " + length + " but " + (left - RECORD_HEADER_BYTES) + " bytes left");
                }
                at = window.ensure(offset, RECORD_HEADER_BYTES + length); // header and payload, contiguous
                int payload = at + RECORD_HEADER_BYTES;
                if (RecordCodec.checksum(window.bytes, at, window.bytes, payload, length) != expected) {
                    return stop(
                            offset, "checksum mismatch", window.isZero(offset + RECORD_HEADER_BYTES + length, size));
                }
                Optional<RecordCodec.Type> type = RecordCodec.Type.of(typeCode);
                if (type.isEmpty()) {
                    return stop(offset, "unknown record type " + typeCode, false);
                }
                visitor.record(offset, type.get(), window.bytes, payload, length);
                offset += RECORD_HEADER_BYTES + length;
            }
            return new Outcome(Header.VALID, offset, Optional.empty(), false);
        }
    }

    /**
     * A few MiB of the file held in memory, refilled with positional reads. A record larger than the
     * window gets a window of its own size.
     */
    private static final class Window {
        private final FileChannel channel;
        private final long size;
        byte[] bytes = new byte[WINDOW_BYTES];
        private long start;
        private int length;

        Window(FileChannel channel, long size) {
            this.channel = channel;
            this.size = size;
        }

        /** Makes file bytes [position, position + n) available; returns the index of the first. */
        int ensure(long position, int n) throws IOException {
            if (position >= start && position + n <= start + length) {
                return (int) (position - start);
            }
            if (n > bytes.length) {
                bytes = new byte[n];
            } else if (bytes.length > WINDOW_BYTES && n <= WINDOW_BYTES) {
                bytes = new byte[WINDOW_BYTES];
            }
            start = position;
            length = 0;
            ByteBuffer into = ByteBuffer.wrap(bytes, 0, (int) Math.min(bytes.length, size - position));
            while (into.hasRemaining()) {
                int read = channel.read(into, position + length);
                if (read < 0) {
                    break;
                }
                length += read;
            }
            if (length < n) {
                throw new EOFException("segment shrank while being read: " + n + " bytes wanted at " + position);
            }
            return 0;
        }

        /** True when every byte from {@code position} to the end of the file is zero. */
        boolean isZero(long position, long end) throws IOException {
            for (long p = position; p < end; ) {
                int n = (int) Math.min(WINDOW_BYTES, end - p);
                int at = ensure(p, n);
                for (int i = at; i < at + n; i++) {
                    if (bytes[i] != 0) {
                        return false;
                    }
                }
                p += n;
            }
            return true;
        }
    }

    private static Outcome torn(long offset, String reason) {
        return new Outcome(Header.VALID, offset, Optional.of(reason), true);
    }

    /**
     * A bad record. It is a torn tail when only zeros follow it (space the file system allocated
     * but the crash never filled); otherwise it is corruption, and valid records may be lost behind it.
     */
    private static Outcome stop(long offset, String reason, boolean tornTail) {
        String said = tornTail ? reason + " (only zeros follow)" : reason;
        return new Outcome(Header.VALID, offset, Optional.of(said), tornTail);
    }
}
