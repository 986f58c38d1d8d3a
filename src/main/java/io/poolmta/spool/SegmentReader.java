package io.poolmta.spool;

import static io.poolmta.spool.RecordCodec.FILE_HEADER_BYTES;
import static io.poolmta.spool.RecordCodec.RECORD_HEADER_BYTES;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads one segment file front to back and hands every intact record to a visitor. Reading stops at
 * the first record that is torn (shorter than its header says), has a bad magic, an unknown type or
 * a checksum mismatch: what follows cannot be framed reliably. The outcome tells a torn tail (what
 * a crash during a write leaves) from corruption. Corrupt data never throws; only an I/O failure of
 * the file itself does.
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
     * {@code tornTail} tells a problem a crash explains (the file ends inside a record, or only
     * zeros follow) from real corruption (bad magic, checksum, type with more data behind).
     */
    record Outcome(Header header, long offset, Optional<String> problem, boolean tornTail) {}

    interface Visitor {
        void record(long offset, RecordCodec.Type type, byte[] payload);
    }

    private SegmentReader() {}

    static Outcome read(Path file, Visitor visitor) throws IOException {
        long size = Files.size(file);
        if (size < FILE_HEADER_BYTES) {
            return new Outcome(Header.TORN, 0, Optional.of("torn segment header: file has " + size + " bytes"), true);
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            int magic = in.readInt();
            int version = in.readInt();
            if (magic != RecordCodec.FILE_MAGIC || version != RecordCodec.FORMAT_VERSION) {
                return new Outcome(Header.FOREIGN, 0, Optional.of(String.format(
                        "not a spool segment of format %d (magic %08x, version %d): left in place",
                        RecordCodec.FORMAT_VERSION, magic, version)), false);
            }
            long offset = FILE_HEADER_BYTES;
            byte[] header = new byte[RECORD_HEADER_BYTES];
            while (offset < size) {
                long left = size - offset;
                if (left < RECORD_HEADER_BYTES) {
                    return torn(offset, "torn record header: " + left + " bytes at the end of the file");
                }
                in.readFully(header);
                ByteBuffer h = ByteBuffer.wrap(header);
                if (h.getInt(0) != RecordCodec.RECORD_MAGIC) {
                    boolean zeros = allZero(header) && restIsZero(in);
                    return stop(offset, String.format("bad record magic %08x", h.getInt(0)), zeros);
                }
                int length = h.getInt(5);
                if (length < 0 || length > left - RECORD_HEADER_BYTES) {
                    return torn(offset, "torn record: length " + length + " but "
                            + (left - RECORD_HEADER_BYTES) + " bytes left");
                }
                byte[] payload = new byte[length];
                in.readFully(payload);
                if (RecordCodec.checksum(header, payload, 0, length) != h.getInt(9)) {
                    return stop(offset, "checksum mismatch", restIsZero(in));
                }
                Optional<RecordCodec.Type> type = RecordCodec.Type.of(header[4]);
                if (type.isEmpty()) {
                    return stop(offset, "unknown record type " + header[4], false);
                }
                visitor.record(offset, type.get(), payload);
                offset += RECORD_HEADER_BYTES + length;
            }
            return new Outcome(Header.VALID, offset, Optional.empty(), false);
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

    private static boolean restIsZero(DataInputStream rest) throws IOException {
        byte[] buffer = new byte[8192];
        for (int n; (n = rest.read(buffer)) > 0; ) {
            for (int i = 0; i < n; i++) {
                if (buffer[i] != 0) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean allZero(byte[] bytes) {
        for (byte b : bytes) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }
}
