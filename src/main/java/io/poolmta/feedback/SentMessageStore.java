package io.poolmta.feedback;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;

/** The durable part of the sent-message ledger. */
public interface SentMessageStore {
    /** Stores the entries in one transaction, adding recipients to entries already stored. */
    void saveAll(Collection<SentMessage> entries);

    Optional<SentMessage> find(String messageId);

    /** Forgets entries recorded before {@code cutoff}; returns how many messages it forgot. */
    int deleteRecordedBefore(Instant cutoff);

    /** How many messages it holds. */
    long count();
}
