package io.poolmta.spool;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link Spool#recover} found: how many segments it read, how many messages it handed back,
 * and every problem (torn tail, checksum mismatch, unreadable payload, foreign file header), each
 * with the file and byte offset where reading of that segment stopped or skipped.
 */
public record RecoveryReport(int segmentsRead, int messagesRecovered, List<Problem> problems) {
    public RecoveryReport {
        problems = List.copyOf(problems);
    }

    public record Problem(Path segment, long offset, String reason) {}

    static RecoveryReport none() {
        return new RecoveryReport(0, 0, List.of());
    }

    public boolean clean() {
        return problems.isEmpty();
    }
}
