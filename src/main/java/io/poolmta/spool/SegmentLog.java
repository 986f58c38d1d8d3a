package io.poolmta.spool;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The segment files of one spool directory and the one segment being appended to. Used by a single
 * thread (the commit loop); only {@link #syncCount} may be read from others.
 * <p>
 * A new segment is created (never reused: {@code CREATE_NEW}), gets its header, is fsynced, and
 * the directory is fsynced, before any record goes into it. {@link #durableEnd} is the length of
 * the current segment as of its last successful fsync. After a failed write or fsync the segment
 * is abandoned: truncated back to its durable end (best effort) and closed; the next append opens
 * a fresh segment, so nothing is ever appended behind bytes of unknown state.
 * <p>
 * {@link #append} only places a record; the records placed since the last write go to the file
 * together, in one gathering write, with {@link #write} (the commit loop calls it once per batch)
 * or before {@link #force}: one system call per batch rather than one per record.
 * <p>
 * {@link #prepareAhead} keeps up to {@code prepareBytes} (1 MiB by default) of zeros written past
 * the end of the records, so that most batches overwrite bytes the file already has instead of
 * growing it: the fsync after a write inside the file's length has no size or block allocation to
 * commit (on ext4 it then takes no journal commit); a lone store took 152 µs instead of 254 in
 * {@code SpoolStoreBenchmark} (see BENCHMARKS.md). Zeros past the last record read back as the
 * clean end of the log ({@link SegmentReader}); a segment is cut back to its records when it is
 * closed. The zeros cost a copy and a disk write per byte, and save a file growth per fsync:
 * they are written only while fsyncs carry less than {@link #ZEROS_PAY_BELOW_SYNC_BYTES} on
 * average (small messages, or few at a time). Large batches grow the file instead: eight threads
 * storing 50 KB messages took 0.117 CPU-ms a store without zeros, 0.174 with them; 2 KB stores
 * 0.045 without, 0.033 with.
 */
final class SegmentLog implements AutoCloseable {
    static final String CORRUPT_DIRECTORY = "corrupt";
    private static final Pattern NAME = Pattern.compile("segment-(\\d{1,18})\\.log");
    /** Written out of one buffer of zeros, whatever the stretch. */
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(64 * 1024).asReadOnlyBuffer();

    private final Path directory;
    private final long segmentBytes;
    /** Zeros kept written ahead of the records; a new stretch is written once less than half is left. 0: none. */
    private final int prepareBytes;
    /**
     * The average bytes an fsync makes durable above which no zeros are written ahead: between
     * the 2 KB stores they help and the 50 KB ones they slow (in batches of 8, 16 KB and 400 KB
     * an fsync), where a copy and a write per byte cost about what a file growth per fsync does.
     */
    static final int ZEROS_PAY_BELOW_SYNC_BYTES = 64 * 1024;

    private final FileChannelFactory channels;
    private final SpoolLedger ledger;
    private final AtomicLong syncs = new AtomicLong();
    private long nextNumber;
    private FileChannel channel;
    private long number;
    private long position;
    private long durableEnd;
    /** The file's length as far as this log knows: records, then zeros up to here. */
    private long preparedEnd;
    /** Bytes made durable per fsync, a moving average (each fsync weighs an eighth). */
    private long averageSyncBytes;

    private final List<ByteBuffer> unwritten = new ArrayList<>();

    SegmentLog(
            Path directory,
            long firstNumber,
            long segmentBytes,
            int prepareBytes,
            FileChannelFactory channels,
            SpoolLedger ledger) {
        this.directory = directory;
        this.nextNumber = firstNumber;
        this.segmentBytes = segmentBytes;
        this.prepareBytes = prepareBytes;
        this.channels = channels;
        this.ledger = ledger;
    }

    static Path path(Path directory, long number) {
        return directory.resolve(String.format(Locale.ROOT, "segment-%08d.log", number));
    }

    /** The number in a segment file's name, or empty for any other file. */
    static OptionalLong number(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        return m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /** Segment numbers present in the directory, in ascending (= log) order. */
    static List<Long> list(Path directory) throws IOException {
        List<Long> numbers = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            files.forEach(f -> number(f).ifPresent(numbers::add));
        }
        numbers.sort(null);
        return numbers;
    }

    /** True when {@code recordBytes} no longer fit the current, non-empty segment. */
    boolean needsRoll(int recordBytes) {
        return channel != null && position > RecordCodec.FILE_HEADER_BYTES && position + recordBytes > segmentBytes;
    }

    /** Where a record was appended: its segment number and its byte offset in that segment. */
    record Placement(long segment, long offset) {}

    /**
     * Places one framed record, given as one or more consecutive parts, at the end of the current
     * segment (opening a segment if none is open) and says where it goes; it reaches the file with
     * the next {@link #write}. The parts are written from the caller's arrays, which must not change
     * until then.
     */
    Placement append(byte[]... parts) throws IOException {
        if (channel == null) {
            open();
        }
        long offset = position;
        for (byte[] part : parts) {
            if (part.length > 0) {
                unwritten.add(ByteBuffer.wrap(part));
                position += part.length;
            }
        }
        return new Placement(number, offset);
    }

    /** Writes the records placed since the last write, in one gathering write. */
    void write() throws IOException {
        if (unwritten.isEmpty()) {
            return;
        }
        ByteBuffer[] buffers = unwritten.toArray(ByteBuffer[]::new);
        unwritten.clear();
        ByteBuffer last = buffers[buffers.length - 1];
        while (last.hasRemaining()) {
            channel.write(buffers);
        }
    }

    /** True when a segment is open and holds (or has placed) at least one record. */
    boolean holdsRecords() {
        return channel != null && position > RecordCodec.FILE_HEADER_BYTES;
    }

    /** True when records were placed since the last fsync. */
    boolean dirty() {
        return channel != null && position > durableEnd;
    }

    /** Writes what is placed, then fsyncs the current segment's data (not its metadata beyond what reading it back needs). */
    void force() throws IOException {
        if (channel == null) {
            return;
        }
        write();
        channel.force(false);
        syncs.incrementAndGet();
        averageSyncBytes += (position - durableEnd - averageSyncBytes) / 8;
        durableEnd = position;
    }

    /**
     * Writes zeros past the records when less than half of {@code prepareBytes} is left there, up
     * to the segment's size, unless fsyncs carry {@link #ZEROS_PAY_BELOW_SYNC_BYTES} or more on
     * average. Call it after a batch is fsynced and acknowledged, so the batch does not
     * wait for it; the next fsync makes the new length durable once for the whole stretch. Nothing is
     * written when {@code room} refuses the bytes (the spool's reserve). It only saves time, so a
     * failure (a full disk) is ignored: the zeros written so far are a clean end of the log, and the
     * next batch tries again.
     */
    void prepareAhead(LongPredicate room) {
        if (channel == null
                || prepareBytes == 0
                || averageSyncBytes >= ZEROS_PAY_BELOW_SYNC_BYTES
                || !unwritten.isEmpty()
                || preparedEnd - position >= prepareBytes / 2) {
            return;
        }
        long start = Math.max(preparedEnd, position);
        long end = Math.min(start + prepareBytes, segmentBytes);
        if (end <= start || !room.test(end - start)) {
            return;
        }
        try {
            for (long at = start; at < end; ) {
                ByteBuffer zeros = ZEROS.duplicate().limit((int) Math.min(ZEROS.capacity(), end - at));
                at += channel.write(zeros, at);
                preparedEnd = at;
            }
        } catch (IOException | RuntimeException e) {
            // only speed is lost; the data writes themselves report a full disk
        }
    }

    /**
     * Closes the current segment; the next append starts a new one. The caller fsynced it first.
     * The zeros past its records are cut off (best effort: a crash that keeps them loses nothing).
     */
    void roll() throws IOException {
        FileChannel closing = channel;
        if (closing != null) {
            write();
        }
        channel = null;
        if (closing != null) {
            if (preparedEnd > position) {
                try {
                    closing.truncate(position);
                } catch (IOException e) {
                    // the zeros stay: they read back as the end of the log
                }
            }
            closing.close();
            ledger.closed(number);
        }
    }

    /**
     * After a failed write or fsync: cut the current segment back to its durable end (best effort)
     * and close it. The bytes past that end belong to stores that were refused.
     */
    void abandon() {
        FileChannel failed = channel;
        channel = null;
        unwritten.clear();
        if (failed == null) {
            return;
        }
        try {
            failed.truncate(durableEnd);
            failed.force(false);
        } catch (IOException | RuntimeException e) {
            // the refused bytes may stay on disk; recovery may then hand them back (a duplicate, never a loss)
        }
        try {
            failed.close();
        } catch (IOException e) {
            // nothing more to do with it
        }
    }

    void delete(long segment) throws IOException {
        Files.deleteIfExists(path(directory, segment));
    }

    /** Moves a finished segment that recovery found corrupt to {@code corrupt/}, for the operator. */
    void setAside(long segment) throws IOException {
        Path source = path(directory, segment);
        if (Files.exists(source)) {
            Path target = Files.createDirectories(directory.resolve(CORRUPT_DIRECTORY))
                    .resolve(source.getFileName());
            Files.move(source, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Makes creations and deletions of segment files durable. */
    void syncDirectory() throws IOException {
        try (FileChannel dir = channels.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        }
    }

    long syncCount() {
        return syncs.get();
    }

    @Override
    public void close() throws IOException {
        roll();
    }

    private void open() throws IOException {
        long candidate = nextNumber++;
        Path file = path(directory, candidate);
        FileChannel created = channels.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        try {
            channel = created;
            position = 0;
            durableEnd = 0;
            writeFully(ByteBuffer.wrap(RecordCodec.fileHeader()));
            position = RecordCodec.FILE_HEADER_BYTES;
            preparedEnd = position;
            force();
            syncDirectory();
            number = candidate;
            ledger.opened(candidate);
        } catch (IOException | RuntimeException e) {
            channel = null;
            try {
                created.close();
                Files.deleteIfExists(file);
            } catch (IOException | RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
    }

    private void writeFully(ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
    }
}
