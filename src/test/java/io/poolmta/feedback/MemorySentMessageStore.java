package io.poolmta.feedback;

import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The ledger's store in memory, for tests of what sits above it. */
final class MemorySentMessageStore implements SentMessageStore {
    private final Map<String, SentMessage> entries = new ConcurrentHashMap<>();
    int batches;

    @Override
    public synchronized void saveAll(Collection<SentMessage> batch) {
        batches++;
        batch.forEach(m -> entries.merge(m.messageId(), m, SentMessage::merge));
    }

    @Override
    public Optional<SentMessage> find(String messageId) {
        return Optional.ofNullable(entries.get(messageId));
    }

    @Override
    public int deleteRecordedBefore(Instant cutoff) {
        int before = entries.size();
        entries.values().removeIf(m -> m.recordedAt().isBefore(cutoff));
        return before - entries.size();
    }

    @Override
    public long count() {
        return entries.size();
    }
}
