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

    record Result(List<SpooledMessage> pending, RecoveryReport report, long nextSegment) {}

    private static final class Found {
        final SpooledMessage message;
        final long segment;
        final Set<String> done = new HashSet<>();

        Found(SpooledMessage message, long segment) {
            this.message = message;
            this.segment = segment;
        }
    }

    private record Ref(long doneSegment, long messageSegment) {}

    private final Path directory;
    private final SpoolLedger ledger;
    private final Map<String, Found> messages = new LinkedHashMap<>();
    private final Set<Ref> refs = new HashSet<>();
    private final List<RecoveryReport.Problem> problems = new ArrayList<>();

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
        List<SpooledMessage> pending = new ArrayList<>();
        for (Found found : messages.values()) {
            List<String> recipients = found.message.envelope().recipients();
            List<String> remaining = recipients.stream().filter(r -> !found.done.contains(r)).toList();
            if (remaining.isEmpty()) {
                continue;
            }
            ledger.restore(found.message.messageId(), remaining, found.segment);
            pending.add(remaining.size() == recipients.size() ? found.message
                    : new SpooledMessage(found.message.envelope().withRecipients(remaining), found.message.content()));
        }
        long next = numbers.isEmpty() ? 1 : numbers.getLast() + 1;
        return new Result(pending, new RecoveryReport(read, pending.size(), problems), next);
    }

    private void replay(Path file, long segment, long offset, RecordCodec.Type type, byte[] payload) {
        try {
            switch (type) {
                case MESSAGE -> {
                    SpooledMessage message = RecordCodec.decodeMessage(payload);
                    messages.remove(message.messageId()); // a reused id starts over, in its new place in the order
                    messages.put(message.messageId(), new Found(message, segment));
                }
                case RECIPIENT_DONE -> {
                    RecordCodec.Done done = RecordCodec.decodeDone(payload);
                    Found found = messages.get(done.messageId());
                    if (found != null) { // else its message's segment is gone: an outcome with nothing left to finish
                        found.done.add(done.recipient());
                        refs.add(new Ref(segment, found.segment));
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
