package io.poolmta.spool;

import io.poolmta.common.RepeatedFailureLog;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spool's single writer (group commit). Callers {@link #submit} encoded records; the loop takes
 * whatever is queued (up to the batch limits), appends it, and fsyncs once for the whole batch. A
 * store is acknowledged only after the fsync covering it returned, and is registered in the ledger
 * at that moment. Outcomes ({@link Done}) do not wake a busy writer: they go with the next batch,
 * or at the latest {@link #OUTCOME_DELAY} after they were submitted (a writer idle that long
 * sleeps, and the next outcome wakes it). A batch of outcomes only is written without an fsync: it
 * becomes durable with the next store batch, a segment roll or close.
 * <p>
 * On a failed write or fsync every store not yet covered by a successful fsync fails with a
 * {@link SpoolException} and is not registered; the segment is abandoned (see {@link SegmentLog})
 * and the next batch starts a new one. Outcomes not yet covered by an fsync are written again with
 * the next batch. After every batch, segments that the ledger's deletion rule allows are deleted
 * (or, if recovery found them corrupt, moved to {@code corrupt/}): one round at a time, the
 * directory fsynced after each round, so a segment is never deleted before the deletion of a
 * segment it refers to is durable.
 */
final class CommitLoop implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(CommitLoop.class);
    private static final Duration RETRY_PAUSE = Duration.ofSeconds(1);
    /**
     * How late an outcome may reach the file when no store comes to carry it. Outcomes woke the
     * writer one by one: at 300 messages a second, a wake-up and a write system call per message
     * beside the store's own (bench/latency.sh). An outcome not on disk at a crash is a recipient
     * delivered again, as one written but not yet fsynced already was.
     */
    static final Duration OUTCOME_DELAY = Duration.ofMillis(100);

    sealed interface Request permits Store, Done, Close, Roll, Wake {}

    record Store(
            String messageId,
            List<String> recipients,
            RecordCodec.MessageFrame frame,
            int contentBytes,
            CompletableFuture<SpoolRef> acked)
            implements Request {}

    record Done(byte[] frame, long messageSegment) implements Request {}

    /**
     * Closes the current segment if it holds records, so that it can be deleted once its messages
     * are finished: while stores are refused for want of room nothing else would ever roll it.
     */
    enum Roll implements Request {
        INSTANCE
    }

    enum Close implements Request {
        INSTANCE
    }

    /** Wakes a sleeping writer for an outcome; writes nothing. */
    enum Wake implements Request {
        INSTANCE
    }

    private record Written(Store store, SegmentLog.Placement placement) {}

    private final SegmentLog log;
    private final SegmentReaders readers;
    private final SpoolLedger ledger;
    private final SpoolSettings settings;
    private final FreeSpace freeSpace;
    private final BlockingQueue<Request> queue = new LinkedBlockingQueue<>();
    /** Outcomes submitted and not yet taken into a batch; adding one wakes the writer only when it sleeps. */
    private final Queue<Done> outcomes = new ConcurrentLinkedQueue<>();
    /** The writer waits without a deadline: an outcome must wake it ({@link Wake}). */
    private final AtomicBoolean sleeping = new AtomicBoolean();

    private final ReadWriteLock gate = new ReentrantReadWriteLock();
    private boolean accepting = true; // guarded by gate
    private final ArrayDeque<Done> retry = new ArrayDeque<>();
    private final List<Written> storesUnsynced = new ArrayList<>();
    private final List<Done> doneUnsynced = new ArrayList<>();
    private List<Request> inProgress = List.of();
    /** A full disk fails every store while clients retry: one WARN per spell and a summary every few seconds. */
    private final RepeatedFailureLog writeFailures = new RepeatedFailureLog(LOG, "spool write");

    private final RepeatedFailureLog deleteFailures = new RepeatedFailureLog(LOG, "deleting finished spool segments");

    CommitLoop(
            SegmentLog log, SegmentReaders readers, SpoolLedger ledger, SpoolSettings settings, FreeSpace freeSpace) {
        this.log = log;
        this.freeSpace = freeSpace;
        this.readers = readers;
        this.ledger = ledger;
        this.settings = settings;
    }

    /** Queues a request; false once the loop no longer accepts (closed, or stopped by an internal error). */
    boolean submit(Request request) {
        gate.readLock().lock();
        try {
            if (!accepting) {
                return false;
            }
            if (request instanceof Done done) {
                outcomes.add(done);
                if (sleeping.get() && sleeping.compareAndSet(true, false)) {
                    queue.add(Wake.INSTANCE);
                }
            } else {
                queue.add(request);
            }
            return true;
        } finally {
            gate.readLock().unlock();
        }
    }

    /** Stops accepting; the loop finishes everything queued before it, fsyncs, and ends. */
    void stopAccepting() {
        gate.writeLock().lock();
        try {
            if (accepting) {
                accepting = false;
                queue.add(Close.INSTANCE);
            }
        } finally {
            gate.writeLock().unlock();
        }
    }

    @Override
    public void run() {
        try {
            collectGarbage(); // segments recovery found finished
            boolean closing = false;
            while (!closing) {
                inProgress = nextBatch();
                if (inProgress.isEmpty()) {
                    continue; // OUTCOME_DELAY passed with nothing submitted
                }
                closing = process(inProgress);
                inProgress = List.of();
                collectGarbage();
            }
            if (!retry.isEmpty()) {
                LOG.warn(
                        "spool closed with {} recipient outcomes not on disk; they will be delivered again",
                        retry.size());
            }
        } catch (Throwable t) {
            LOG.error("spool writer stopped by an internal error; the spool refuses new messages", t);
            gate.writeLock().lock();
            try {
                accepting = false;
            } finally {
                gate.writeLock().unlock();
            }
            SpoolException failure = new SpoolException("spool writer stopped", t);
            for (Request r : inProgress) { // completing an already acknowledged store again is a no-op
                if (r instanceof Store s && !s.acked().isDone()) {
                    fail(s, failure);
                }
            }
            for (Request r; (r = queue.poll()) != null; ) {
                if (r instanceof Store s) {
                    fail(s, failure);
                }
            }
            outcomes.clear();
        } finally {
            try {
                log.close();
            } catch (IOException e) {
                LOG.warn("closing the current spool segment failed", e);
            }
        }
    }

    private List<Request> nextBatch() throws InterruptedException {
        List<Request> batch = new ArrayList<>(retry);
        retry.clear();
        // outcomes to retry after a failed write: wait a little for company, but do not spin on a broken disk
        Request first;
        if (!batch.isEmpty()) {
            first = queue.poll(RETRY_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
        } else {
            first = queue.poll(OUTCOME_DELAY.toMillis(), TimeUnit.MILLISECONDS);
            if (first == null && outcomes.isEmpty()) { // idle: sleep until a request, or an outcome wakes it
                sleeping.set(true);
                if (outcomes.isEmpty()) { // again, now that a submitter would see the flag
                    first = queue.take();
                }
                sleeping.set(false);
            }
        }
        // outcomes first, as if they had been queued when submitted: before the stores that follow
        // them (a store that rolls the segment must not take them into the next one)
        long bytes = 0;
        for (Done d;
                bytes < settings.maxBatchBytes()
                        && batch.size() < settings.maxBatchRecords()
                        && (d = outcomes.poll()) != null; ) {
            batch.add(d);
            bytes += size(d);
        }
        boolean closing = false;
        for (Request r = first; r != null; r = queue.poll()) {
            batch.add(r);
            bytes += size(r);
            closing |= r == Close.INSTANCE;
            if (batch.size() >= settings.maxBatchRecords() || bytes >= settings.maxBatchBytes()) {
                break;
            }
        }
        if (closing) { // every outcome submitted before the Close (the gate orders them) goes with it
            for (Done d; (d = outcomes.poll()) != null; ) {
                batch.add(d);
            }
        }
        return batch;
    }

    /** Writes one batch; returns true when it held the close request. */
    private boolean process(List<Request> batch) {
        boolean closing = false;
        int i = 0;
        try {
            for (; i < batch.size(); i++) {
                switch (batch.get(i)) {
                    case Close _ -> closing = true;
                    case Wake _ -> {}
                    case Roll _ -> {
                        if (log.holdsRecords()) {
                            sync();
                            log.roll();
                        }
                    }
                    case Store s ->
                        storesUnsynced.add(new Written(
                                s, append(s.frame().head(), s.frame().content())));
                    case Done d -> {
                        ledger.doneWritten(append(d.frame()).segment(), d.messageSegment());
                        doneUnsynced.add(d);
                    }
                }
            }
            log.write(); // the whole batch in one system call
            if (!storesUnsynced.isEmpty() || (closing && log.dirty())) {
                sync();
            }
            if (!closing) {
                log.prepareAhead(this::roomOutsideTheReserve); // after the acknowledgements: no store waits for it
            }
        } catch (IOException e) {
            log.abandon();
            SpoolException failure = new SpoolException("message not stored: " + e.getMessage(), e);
            int refused = storesUnsynced.size();
            storesUnsynced.forEach(w -> fail(w.store(), failure));
            storesUnsynced.clear();
            retry.addAll(doneUnsynced);
            doneUnsynced.clear();
            for (int j = i; j < batch.size(); j++) {
                switch (batch.get(j)) {
                    case Close _ -> closing = true;
                    case Roll _, Wake _ -> {} // the failed segment is abandoned anyway
                    case Store s -> {
                        fail(s, failure);
                        refused++;
                    }
                    case Done d -> retry.add(d);
                }
            }
            writeFailures.failed(
                    refused + " messages refused, " + retry.size() + " recipient outcomes kept to write again", e);
            return closing;
        }
        if (writeFailures.failing() && batch.stream().anyMatch(r -> r instanceof Store || r instanceof Done)) {
            writeFailures.succeeded(); // a write happened and worked
        }
        return closing;
    }

    /** Whether writing this many bytes leaves the disk's reserve ({@link SpoolSettings#minFreeBytes}) untouched. */
    private boolean roomOutsideTheReserve(long bytes) {
        return freeSpace.usable() - bytes >= settings.minFreeBytes();
    }

    /** Appends one record, given as consecutive parts (a MESSAGE record's head and content, not joined). */
    private SegmentLog.Placement append(byte[]... parts) throws IOException {
        int length = 0;
        for (byte[] part : parts) {
            length += part.length;
        }
        if (log.needsRoll(length)) {
            sync();
            log.roll();
        }
        return log.append(parts);
    }

    /** fsyncs what was written and acknowledges the stores it covers. */
    private void sync() throws IOException {
        if (log.dirty()) {
            log.force();
        }
        for (Written w : storesUnsynced) {
            Store s = w.store();
            ledger.stored(s.messageId(), s.recipients(), w.placement().segment());
            s.acked()
                    .complete(new SpoolRef(
                            w.placement().segment(),
                            w.placement().offset(),
                            s.frame().length(),
                            s.contentBytes()));
        }
        storesUnsynced.clear();
        doneUnsynced.clear();
    }

    private void collectGarbage() {
        for (List<Long> round = ledger.deletable(); !round.isEmpty(); round = ledger.deletable()) {
            try {
                for (long segment : round) {
                    readers.forget(segment);
                    if (ledger.corrupt(segment)) {
                        log.setAside(segment);
                        LOG.warn(
                                "finished spool segment {} had corrupt records: moved to {}/",
                                segment,
                                SegmentLog.CORRUPT_DIRECTORY);
                    } else {
                        log.delete(segment);
                    }
                }
                log.syncDirectory();
            } catch (IOException e) {
                deleteFailures.failed("segments " + round + " stay until the next try", e);
                return;
            }
            deleteFailures.succeeded();
            ledger.deleted(round);
        }
    }

    private void fail(Store store, SpoolException failure) {
        ledger.release(store.messageId());
        store.acked().completeExceptionally(failure);
    }

    private static long size(Request r) {
        return switch (r) {
            case Store s -> s.frame().length();
            case Done d -> d.frame().length;
            case Close _, Roll _, Wake _ -> 0;
        };
    }
}
