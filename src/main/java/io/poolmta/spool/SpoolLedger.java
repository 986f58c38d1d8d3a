package io.poolmta.spool;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;

/**
 * The spool's memory of its log: which messages are pending (with their remaining recipients and
 * the segment holding their MESSAGE record), and per segment how many of its messages are still
 * pending ("live") and which older segments hold messages it records outcomes for ("refs").
 * <p>
 * Deletion rule ({@link #deletable}): a segment may be deleted when it is not the current segment,
 * none of its messages is pending, and every segment it refers to is already gone. So a MESSAGE
 * record is never deleted while its message is pending, and a RECIPIENT_DONE record is never
 * deleted while the MESSAGE record it finishes can still be read back.
 * <p>
 * Thread-safe: every method holds the ledger's monitor; no I/O happens under it.
 */
final class SpoolLedger {
    /**
     * A pending message: its segment, its recipients (the envelope's own list, shared rather than
     * copied) and which of them are done. Kept small, since a queue may hold millions.
     */
    private static final class Pending {
        final long segment;
        final List<String> recipients;
        BitSet done; // created on the first outcome of a message with several recipients
        int left;

        Pending(long segment, List<String> recipients) {
            this.segment = segment;
            this.recipients = recipients;
            this.left = recipients.size();
        }

        /** Marks the first not-yet-done occurrence of {@code recipient}; false when there is none. */
        boolean markDone(String recipient) {
            for (int i = 0; i < recipients.size(); i++) {
                if ((done == null || !done.get(i)) && recipients.get(i).equals(recipient)) {
                    if (recipients.size() > 1) {
                        if (done == null) {
                            done = new BitSet(recipients.size());
                        }
                        done.set(i);
                    }
                    left--;
                    return true;
                }
            }
            return false;
        }
    }

    private static final class Segment {
        int live;
        final Set<Long> refs = new HashSet<>();
        final boolean corrupt;

        Segment(boolean corrupt) {
            this.corrupt = corrupt;
        }
    }

    private Map<String, Pending> pending = new HashMap<>();
    private final Set<String> inFlight = new HashSet<>();
    private final TreeMap<Long, Segment> segments = new TreeMap<>();
    private long current = -1;

    /** Claims a message id for a store in progress; a pending or in-flight id is refused. */
    synchronized void reserve(String messageId) {
        if (pending.containsKey(messageId) || !inFlight.add(messageId)) {
            throw new IllegalArgumentException("message " + messageId + " is already in the spool");
        }
    }

    /** The store of a reserved id failed: the id is free again. */
    synchronized void release(String messageId) {
        inFlight.remove(messageId);
    }

    /** A reserved message is on stable storage in {@code segment}. */
    synchronized void stored(String messageId, List<String> recipients, long segment) {
        inFlight.remove(messageId);
        restore(messageId, recipients, segment);
    }

    /** Recovery is about to restore {@code count} messages: size the table once rather than grow it. */
    synchronized void expect(int count) {
        if (pending.isEmpty()) {
            pending = HashMap.newHashMap(count);
        }
    }

    /** A message read back by recovery, with the recipients still to be delivered. */
    synchronized void restore(String messageId, List<String> recipients, long segment) {
        Segment state = segments.get(segment);
        if (state == null) {
            throw new IllegalStateException("segment " + segment + " is not in the ledger");
        }
        if (recipients.isEmpty()) {
            throw new IllegalArgumentException("message " + messageId + " has no recipients");
        }
        pending.put(messageId, new Pending(segment, List.copyOf(recipients)));
        state.live++;
    }

    /**
     * One recipient has its final outcome. Returns the segment of the message's MESSAGE record, or
     * empty when there is nothing to record (unknown message, or a recipient already done).
     */
    synchronized OptionalLong done(String messageId, String recipient) {
        Pending p = pending.get(messageId);
        if (p == null || !p.markDone(recipient)) {
            return OptionalLong.empty();
        }
        if (p.left == 0) {
            pending.remove(messageId);
            segments.get(p.segment).live--;
        }
        return OptionalLong.of(p.segment);
    }

    /** A RECIPIENT_DONE record for a message in {@code messageSegment} was written to {@code doneSegment}. */
    synchronized void doneWritten(long doneSegment, long messageSegment) {
        Segment state = segments.get(doneSegment);
        if (state != null && doneSegment != messageSegment && segments.containsKey(messageSegment)) {
            state.refs.add(messageSegment);
        }
    }

    /**
     * {@code segment} was closed (rolled): it receives no more writes, so it is no longer the
     * current one, and can go once finished even if no write opens the next segment (while stores
     * are refused for want of room, none does).
     */
    synchronized void closed(long segment) {
        if (current == segment) {
            current = -1;
        }
    }

    /** A new segment receives the writes from now on. */
    synchronized void opened(long segment) {
        segments.put(segment, new Segment(false));
        current = segment;
    }

    /** An existing segment found by recovery; a corrupt one is set aside rather than deleted once finished. */
    synchronized void found(long segment, boolean corrupt) {
        segments.put(segment, new Segment(corrupt));
    }

    synchronized boolean corrupt(long segment) {
        Segment state = segments.get(segment);
        return state != null && state.corrupt;
    }

    synchronized List<Long> deletable() {
        List<Long> result = new ArrayList<>();
        for (Map.Entry<Long, Segment> e : segments.entrySet()) {
            Segment s = e.getValue();
            if (e.getKey() != current && s.live == 0 && s.refs.stream().noneMatch(segments::containsKey)) {
                result.add(e.getKey());
            }
        }
        return result;
    }

    synchronized void deleted(Collection<Long> gone) {
        gone.forEach(segments::remove);
        segments.values().forEach(s -> s.refs.removeAll(gone));
    }

    synchronized long pendingCount() {
        return pending.size();
    }
}
