package io.poolmta.spool;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds a spool from its segment files: reads them in log order, replays MESSAGE and
 * RECIPIENT_DONE records, and fills the {@link SpoolLedger} (pending messages, live counts, refs
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
    private final Map<String, Found> messages = new LinkedHashMap<>();
    private final Set<Ref> refs = new HashSet<>();
    private final List<RecoveryReport.Problem> problems = new ArrayList<>();
    private final Interner interner = new Interner();

    private LogRecovery(Path directory, SpoolLedger ledger) {
        this.directory = directory;
        this.ledger = ledger;
    }

    static Result run(Path directory, SpoolLedger ledger) throws IOException {
        return new LogRecovery(directory, ledger).run();
    }

    private Result run() throws IOException {
        List<Long> numbers = SegmentLog.list(directory);
        int read = 0;
        for (long number : numbers) {
            Path file = SegmentLog.path(directory, number);
            int problemsBefore = problems.size();
            SegmentReader.Outcome outcome = SegmentReader.read(file, (offset, type, payload) ->
                    replay(file, number, offset, type, payload));
            outcome.problem().ifPresent(reason -> problem(file, outcome.offset(), reason));
            if (outcome.header() != SegmentReader.Header.FOREIGN) {
                boolean onlyTornTail = problems.size() == problemsBefore
                        || (problems.size() == problemsBefore + 1 && outcome.tornTail());
                ledger.found(number, !onlyTornTail);
                read++;
            }
        }
        for (Ref ref : refs) {
            ledger.doneWritten(ref.doneSegment(), ref.messageSegment());
        }
        List<StoredMessage> pending = new ArrayList<>(messages.size());
        for (Found found : messages.values()) {
            StoredMessage message = found.message;
            if (found.done != null) {
                List<String> remaining = message.envelope().recipients().stream()
                        .filter(r -> !found.done.contains(r)).toList();
                if (remaining.isEmpty()) {
                    continue;
                }
                message = message.withRecipients(remaining);
            }
            ledger.restore(message.messageId(), message.envelope().recipients(), message.ref().segment());
            pending.add(message);
        }
        messages.clear();
        long next = numbers.isEmpty() ? 1 : numbers.getLast() + 1;
        return new Result(pending, new RecoveryReport(read, pending.size(), problems), next);
    }

    private void replay(Path file, long segment, long offset, RecordCodec.Type type, byte[] payload) {
        try {
            switch (type) {
                case MESSAGE -> {
                    RecordCodec.DecodedEnvelope decoded = RecordCodec.decodeEnvelope(payload, interner);
                    SpoolRef ref = new SpoolRef(segment, offset, RecordCodec.RECORD_HEADER_BYTES + payload.length,
                            decoded.contentBytes());
                    String id = decoded.envelope().messageId();
                    messages.remove(id); // a reused id starts over, in its new place in the order
                    messages.put(id, new Found(new StoredMessage(decoded.envelope(), ref)));
                }
                case RECIPIENT_DONE -> {
                    RecordCodec.Done done = RecordCodec.decodeDone(payload);
                    Found found = messages.get(done.messageId());
                    if (found != null) { // else its message's segment is gone: an outcome with nothing left to finish
                        if (found.done == null) {
                            found.done = new HashSet<>();
                        }
                        found.done.add(done.recipient());
                        refs.add(new Ref(segment, found.message.ref().segment()));
                    }
                }
            }
        } catch (RecordCodec.CorruptRecordException e) {
            problem(file, offset, type + " record skipped: " + e.getMessage());
        }
    }

    private void problem(Path file, long offset, String reason) {
        LOG.warn("spool recovery: {} at offset {}: {}", file, offset, reason);
        problems.add(new RecoveryReport.Problem(file, offset, reason));
    }
}
