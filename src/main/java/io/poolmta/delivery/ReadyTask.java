package io.poolmta.delivery;

import io.poolmta.egress.SourceSelection;
import java.time.Instant;
import java.util.Optional;

/**
 * A task on a ready queue: the source selected for it, when the provider's hourly limit counted
 * it (if it did), and its {@code content}, read from the spool just before the attempt.
 */
record ReadyTask(DeliveryTask task, SourceSelection.Selected selection, Optional<Instant> hourTaken, byte[] content) {
    ReadyTask(DeliveryTask task, SourceSelection.Selected selection, Optional<Instant> hourTaken) {
        this(task, selection, hourTaken, null);
    }

    /** The same with its content, for the attempt. */
    ReadyTask withContent(byte[] bytes) {
        return new ReadyTask(task, selection, hourTaken, bytes);
    }

    /** The same, without the content: what is kept of a message once its attempt is over. */
    ReadyTask withoutContent() {
        return content == null ? this : new ReadyTask(task, selection, hourTaken);
    }

    String poolName() {
        return selection.poolName();
    }

    Optional<String> overflowFrom() {
        return selection.overflowFrom();
    }
}
