package io.poolmta.spool;

import io.poolmta.common.RepeatedFailureLog;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Spool} kept as an append-only log of segment files ({@code segment-00000001.log}, …)
 * in one directory, which it locks ({@code spool.lock}) against a second process.
 * <p>
 * <b>Writes.</b> {@link #store} encodes the message in the caller's thread and hands it to one
 * writer thread ({@link CommitLoop}), which writes everything queued and fsyncs once per batch
 * (group commit); {@code store} returns only after that fsync. If the write or fsync fails, every
 * store of the batch not already covered by an earlier fsync throws {@link SpoolException}; the
 * failed segment is cut back and abandoned and later stores go to a new segment, so the spool keeps
 * working once the disk does. {@link #recipientDone} only queues its record, which becomes durable
 * with the next store batch, segment roll or {@link #close}. New segments are
 * created with their header, fsynced, and the directory fsynced before they receive records.
 * After {@link #recover}, writes always go to a new segment: a torn tail is never appended to.
 * <p>
 * <b>Reads.</b> Only envelopes are kept in memory; {@link #store} and {@link #recover} hand out a
 * {@link SpoolRef} to each message's record, and {@link #content} reads the record back with
 * positional reads (its head, then its content into an array of its own) (one read-only channel per segment, closed when the segment is deleted) and
 * checks its checksum, so a queue far larger than the heap stays on disk until it is delivered.
 * <p>
 * <b>Deletion.</b> A segment is deleted when (1) it is not the segment being written, (2) every
 * message whose MESSAGE record it holds is finished (each recipient has an outcome), and (3) every
 * older segment holding a message for which it has a RECIPIENT_DONE record has already been deleted
 * (durably: the directory is fsynced between rounds of deletions). (2) means a pending message is
 * never lost; (3) means an outcome is never deleted while the message it finishes can still be read
 * back, so recovery never resurrects a finished message. Outcomes whose message is gone are simply
 * ignored by recovery. The price of (3): a long-pending message keeps not only its own segment but
 * also the later segments holding outcomes of its segment-mates, until it is finished or expires.
 * <p>
 * <b>Recovery.</b> Segments are read in order; a segment is read up to its first bad frame (bad
 * magic, impossible length, checksum mismatch), which is logged and listed in
 * {@link #recoveryReport()}; a record with a good frame whose payload does not parse is skipped and
 * reported the same way. A torn tail (the file ends inside a record, or
 * only zeros follow) is what a crash leaves and needs nothing more. A segment with real corruption
 * (bad checksum or magic with data behind it, an unreadable payload) is moved to {@code corrupt/}
 * instead of deleted once its readable messages are finished; a file with a foreign header is
 * never touched.
 * <p>
 * <b>Room.</b> A store that would leave less than {@link SpoolSettings#minFreeBytes} free on the
 * spool's file system is refused before anything is written (as Postfix's queue_minfree), so the
 * spool does not fill the disk that the database, the event log and a restart need, and that the
 * queue needs to drain.
 * <p>
 * <b>Failure promises.</b> An acknowledged store is on disk. An outcome not yet fsynced when the
 * process dies is lost, so that recipient is delivered again (a duplicate, as {@link Spool} allows);
 * an outcome whose write failed is written again with the next batch. A store refused because its
 * fsync failed may, if cutting the segment back failed too, reappear after a restart (a duplicate,
 * never a loss). Recovery never throws for corrupt data; it throws {@link SpoolException} only when
 * the directory or a segment cannot be read at all, or another spool holds the directory.
 */
public final class FileSpool implements Spool {
    private static final Logger LOG = LoggerFactory.getLogger(FileSpool.class);
    static final String LOCK_FILE = "spool.lock";

    private final Path directory;
    private final SpoolSettings settings;
    private final FileChannelFactory channels;
    private final SpoolLedger ledger = new SpoolLedger();
    private final SegmentReaders readers;
    private final Object lifecycle = new Object();
    private volatile RecoveryReport report = RecoveryReport.none();
    private volatile CommitLoop loop;
    private volatile SegmentLog log;
    private volatile boolean closed;
    private volatile FreeSpace freeSpace;
    private final RepeatedFailureLog reserveRefusals =
            new RepeatedFailureLog(LOG, "storing a message outside the spool's disk reserve");
    private Thread writer;
    private FileChannel lockChannel;

    public FileSpool(Path directory) {
        this(directory, SpoolSettings.defaults());
    }

    public FileSpool(Path directory, SpoolSettings settings) {
        this(directory, settings, FileChannelFactory.DEFAULT);
    }

    public FileSpool(Path directory, SpoolSettings settings, FileChannelFactory channels) {
        this(directory, settings, channels, null);
    }

    /** @param freeSpace how much room the disk has (tests); null: the spool directory's file system, asked at most every 100 ms */
    FileSpool(Path directory, SpoolSettings settings, FileChannelFactory channels, FreeSpace freeSpace) {
        this.directory = directory.toAbsolutePath().normalize();
        this.settings = settings;
        this.channels = channels;
        this.readers = new SegmentReaders(this.directory, channels);
        this.freeSpace = freeSpace;
    }

    @Override
    public StoredMessage store(SpooledMessage message) {
        if (message.envelope().recipients().isEmpty()) {
            throw new IllegalArgumentException("message " + message.messageId() + " has no recipients");
        }
        CommitLoop commits = running();
        RecordCodec.MessageFrame frame = RecordCodec.messageFrame(message); // the content is written from its own array
        checkReserve(message.messageId(), frame.length());
        ledger.reserve(message.messageId());
        CompletableFuture<SpoolRef> acked = new CompletableFuture<>();
        if (!commits.submit(new CommitLoop.Store(
                message.messageId(), message.envelope().recipients(), frame, message.content().length, acked))) {
            ledger.release(message.messageId());
            throw closedException();
        }
        try {
            return new StoredMessage(message.envelope(), acked.join());
        } catch (CompletionException e) {
            throw new SpoolException(
                    "message " + message.messageId() + " not stored: "
                            + e.getCause().getMessage(),
                    e.getCause());
        }
    }

    /** Refuses a message that would leave less free space than {@link SpoolSettings#minFreeBytes} keeps. */
    private void checkReserve(String messageId, int bytes) {
        long reserve = settings.minFreeBytes();
        FreeSpace space = freeSpace;
        if (reserve == 0 || space == null) {
            return;
        }
        long usable = space.usable();
        if (usable - bytes < reserve) {
            SpoolException refused = new SpoolException(
                    String.format(
                            Locale.ROOT,
                            "message %s not stored: the spool's disk has %d MiB free and %d MiB of it are kept in reserve",
                            messageId,
                            usable >> 20,
                            reserve >> 20),
                    null);
            if (reserveRefusals.failed("messages are refused until there is room again", refused)) {
                // a spell starts: the current segment may hold only finished messages; close it so that it can go
                CommitLoop commits = loop;
                if (commits != null) {
                    commits.submit(CommitLoop.Roll.INSTANCE);
                }
            }
            throw refused;
        }
        reserveRefusals.succeeded();
    }

    /**
     * Reads the message's bytes back from its segment and checks the record's checksum. Throws
     * {@link SpoolException} when the segment cannot be read or the record is not intact.
     */
    @Override
    public byte[] content(StoredMessage message) {
        SpoolRef ref = message.ref();
        try {
            return RecordCodec.content(readers.message(ref), ref);
        } catch (IOException e) {
            throw new SpoolException(
                    "cannot read message " + message.messageId() + " back from the spool (" + ref + "): " + e, e);
        }
    }

    @Override
    public byte[] head(StoredMessage message, int maxBytes) {
        SpoolRef ref = message.ref();
        try {
            return readers.contentStart(ref, maxBytes);
        } catch (IOException e) {
            throw new SpoolException(
                    "cannot read message " + message.messageId() + " back from the spool (" + ref + "): " + e, e);
        }
    }

    @Override
    public void recipientDone(String messageId, String recipient) {
        CommitLoop commits = loop;
        if (commits == null || closed) {
            LOG.debug("spool not running; outcome of {} for {} not recorded", messageId, recipient);
            return;
        }
        OptionalLong segment = ledger.done(messageId, recipient);
        if (segment.isPresent()) {
            commits.submit(new CommitLoop.Done(RecordCodec.recipientDone(messageId, recipient), segment.getAsLong()));
        }
    }

    @Override
    public List<StoredMessage> recover() {
        synchronized (lifecycle) {
            if (closed) {
                throw closedException();
            }
            if (loop != null) {
                throw new IllegalStateException("recover() runs once, at start");
            }
            try {
                Files.createDirectories(directory);
                lockDirectory();
                if (freeSpace == null) {
                    freeSpace = new FreeSpace(Files.getFileStore(directory));
                }
                long started = System.nanoTime();
                LogRecovery.Result result = LogRecovery.run(directory, ledger);
                report = result.report();
                SegmentLog segments = new SegmentLog(
                        directory,
                        result.nextSegment(),
                        settings.segmentBytes(),
                        settings.prepareAheadBytes(),
                        channels,
                        ledger);
                CommitLoop commits = new CommitLoop(segments, readers, ledger, settings, freeSpace);
                writer = Thread.ofPlatform()
                        .name("poolmta-spool-writer")
                        .daemon(true)
                        .start(commits);
                log = segments;
                loop = commits;
                LOG.info(
                        "spool {}: {} pending messages recovered from {} segments in {} ms, {} problems",
                        directory,
                        result.pending().size(),
                        report.segmentsRead(),
                        (System.nanoTime() - started) / 1_000_000,
                        report.problems().size());
                return result.pending();
            } catch (IOException e) {
                releaseLock();
                throw new SpoolException("cannot open the spool in " + directory + ": " + e.getMessage(), e);
            }
        }
    }

    @Override
    public long pendingCount() {
        return ledger.pendingCount();
    }

    /** Flushes what is queued, stops the writer and releases the directory. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            if (loop != null) {
                loop.stopAccepting();
                joinWriter();
            }
            readers.close();
            releaseLock();
        }
    }

    /** What the last {@link #recover} found. */
    public RecoveryReport recoveryReport() {
        return report;
    }

    /** How many times a segment was fsynced (group commits, plus one per new segment header). */
    public long syncCount() {
        SegmentLog segments = log;
        return segments == null ? 0 : segments.syncCount();
    }

    public Path directory() {
        return directory;
    }

    private CommitLoop running() {
        CommitLoop commits = loop;
        if (closed) {
            throw closedException();
        }
        if (commits == null) {
            throw new IllegalStateException("call recover() before store()");
        }
        return commits;
    }

    private SpoolException closedException() {
        return new SpoolException("spool " + directory + " is closed", null);
    }

    private void lockDirectory() throws IOException {
        FileChannel channel =
                FileChannel.open(directory.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new IOException("the directory is in use by another spool");
        }
        lockChannel = channel; // closing it releases the lock
    }

    private void releaseLock() {
        try {
            if (lockChannel != null) {
                lockChannel.close();
            }
        } catch (IOException e) {
            LOG.warn("releasing the spool lock failed", e);
        }
        lockChannel = null;
    }

    private void joinWriter() {
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
