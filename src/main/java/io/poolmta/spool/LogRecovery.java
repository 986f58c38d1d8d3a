package io.poolmta.spool;

import io.poolmta.common.SharedStrings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a spool from its segment files: reads and decodes them on a few threads (the slow part:
 * checksums and envelopes of possibly millions of records), replays their MESSAGE and
 * RECIPIENT_DONE records in log order on the calling thread, and fills the {@link SpoolLedger} (pending messages, live counts, refs
 * between segments) so that the deletion rule holds across restarts. Every problem is logged at
 * WARN with file and offset and kept in the {@link RecoveryReport}; corrupt data never throws.
 * A segment whose only problem is a torn tail (what a crash leaves) is treated like any other; a
 * segment with real corruption is marked so that, once finished, it is moved to {@code corrupt/}
 * instead of deleted; a segment with a foreign header is left out of the ledger and never touched.
 */
final class LogRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(LogRecovery.class);

    record Result(List<StoredMessage> pending, RecoveryReport report, long nextSegment) {}

    /** A MESSAGE record read back: its envelope (no content) and, once outcomes are seen, the recipients done. */
    private static final class Found {
        final StoredMessage message;
        Set<String> done;

        Found(StoredMessage message) {
            this.message = message;
        }
    }

    private record Ref(long doneSegment, long messageSegment) {}

    private final Path directory;
    private final SpoolLedger ledger;
    /** Presizing guesses: a record is rarely smaller than this; beyond the cap the map grows as usual. */
    private static final long ASSUMED_RECORD_BYTES = 2048;

    private static final long MAX_PRESIZE = 1 << 24;
    private static final int MAX_THREADS = 4;

    private Map<String, Found> messages;
    private final Set<Ref> refs = new HashSet<>();
    private final List<RecoveryReport.Problem> problems = new ArrayList<>();

    private LogRecovery(Path directory, SpoolLedger ledger) {
        this.directory = directory;
        this.ledger = ledger;
    }

    static Result run(Path directory, SpoolLedger ledger) throws IOException {
        return new LogRecovery(directory, ledger).run();
    }

    /** One segment read and decoded (by a recovery thread): its records in log order, and what went wrong. */
    private record Scan(
            Path file, SegmentReader.Outcome outcome, List<Object> records, List<RecoveryReport.Problem> problems) {}

    private Result run() throws IOException {
        List<Long> numbers = SegmentLog.list(directory);
        long bytes = 0;
        for (long number : numbers) {
            bytes += Files.size(SegmentLog.path(directory, number));
        }
        messages = LinkedHashMap.newLinkedHashMap((int) Math.min(MAX_PRESIZE, bytes / ASSUMED_RECORD_BYTES));
        int read = 0;
        int threads = Math.max(1, Math.min(MAX_THREADS, Runtime.getRuntime().availableProcessors()));
        ExecutorService decoders = Executors.newFixedThreadPool(
                threads, Thread.ofPlatform().name("spool-recovery-", 1).daemon().factory());
        try {
            ArrayDeque<Future<Scan>> ahead = new ArrayDeque<>();
            int next = 0;
            for (long number : numbers) {
                while (next < numbers.size() && ahead.size() < threads + 1) {
                    long n = numbers.get(next++);
                    ahead.add(decoders.submit(() -> scan(n)));
                }
                Scan scan = await(ahead.poll());
                for (Object record : scan.records()) {
                    switch (record) {
                        case StoredMessage message -> replayMessage(message);
                        case RecordCodec.Done done -> replayDone(number, done);
                        default -> throw new IllegalStateException("unexpected record " + record);
                    }
                }
                scan.problems().forEach(p -> problem(p.segment(), p.offset(), p.reason()));
                SegmentReader.Outcome outcome = scan.outcome();
                outcome.problem().ifPresent(reason -> problem(scan.file(), outcome.offset(), reason));
                if (outcome.header() != SegmentReader.Header.FOREIGN) {
                    boolean onlyTornTail =
                            scan.problems().isEmpty() && (outcome.problem().isEmpty() || outcome.tornTail());
                    ledger.found(number, !onlyTornTail);
                    read++;
                }
            }
        } finally {
            decoders.shutdownNow();
        }
        for (Ref ref : refs) {
            ledger.doneWritten(ref.doneSegment(), ref.messageSegment());
        }
        ledger.expect(messages.size());
        List<StoredMessage> pending = new ArrayList<>(messages.size());
        for (Found found : messages.values()) {
            StoredMessage message = found.message;
            if (found.done != null) {
                List<String> remaining = message.envelope().recipients().stream()
                        .filter(r -> !found.done.contains(r))
                        .toList();
                if (remaining.isEmpty()) {
                    continue;
                }
                message = message.withRecipients(remaining);
            }
            ledger.restore(
                    message.messageId(),
                    message.envelope().recipients(),
                    message.ref().segment());
            pending.add(message);
        }
        messages.clear();
        long next = numbers.isEmpty() ? 1 : numbers.getLast() + 1;
        return new Result(pending, new RecoveryReport(read, pending.size(), problems), next);
    }

    /** Reads and decodes one segment; runs on a recovery thread, so it touches no shared state. */
    private static Scan scan(long number, Path directory) throws IOException {
        Path file = SegmentLog.path(directory, number);
        SharedStrings interner = new SharedStrings(RecordCodec.SHARED_STRINGS);
        List<Object> records = new ArrayList<>();
        List<RecoveryReport.Problem> problems = new ArrayList<>();
        SegmentReader.Outcome outcome = SegmentReader.read(file, (offset, type, buffer, at, length) -> {
            try {
                switch (type) {
                    case MESSAGE -> {
                        RecordCodec.DecodedEnvelope decoded = RecordCodec.decodeEnvelope(buffer, at, length, interner);
                        records.add(new StoredMessage(
                                decoded.envelope(),
                                new SpoolRef(
                                        number,
                                        offset,
                                        RecordCodec.RECORD_HEADER_BYTES + length,
                                        decoded.contentBytes())));
                    }
                    case RECIPIENT_DONE -> records.add(RecordCodec.decodeDone(buffer, at, length));
                }
            } catch (RecordCodec.CorruptRecordException e) {
                problems.add(new RecoveryReport.Problem(file, offset, type + " record skipped: " + e.getMessage()));
            }
        });
        return new Scan(file, outcome, records, problems);
    }

    private Scan scan(long number) throws IOException {
        return scan(number, directory);
    }

    private void replayMessage(StoredMessage message) {
        Found found = new Found(message);
        if (messages.putIfAbsent(message.messageId(), found) != null) { // a reused id starts over, in its new place
            messages.remove(message.messageId());
            messages.put(message.messageId(), found);
        }
    }

    private void replayDone(long segment, RecordCodec.Done done) {
        Found found = messages.get(done.messageId());
        if (found != null) { // else its message's segment is gone: an outcome with nothing left to finish
            if (found.done == null) {
                found.done = new HashSet<>();
            }
            found.done.add(done.recipient());
            refs.add(new Ref(segment, found.message.ref().segment()));
        }
    }

    private static Scan await(Future<Scan> scan) throws IOException {
        try {
            return scan.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while recovering the spool", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IllegalStateException("spool recovery failed", e.getCause());
        }
    }

    private void problem(Path file, long offset, String reason) {
        LOG.warn("spool recovery: {} at offset {}: {}", file, offset, reason);
        problems.add(new RecoveryReport.Problem(file, offset, reason));
    }
}
