package io.poolmta.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The deletion rule, without files: live messages pin their segment, outcomes pin theirs. */
class SpoolLedgerTest {
    private final SpoolLedger ledger = new SpoolLedger();

    @Test
    void theCurrentSegmentIsNeverDeletable() {
        ledger.opened(1);
        assertThat(ledger.deletable()).isEmpty();
        ledger.opened(2);
        assertThat(ledger.deletable()).containsExactly(1L);
    }

    @Test
    void aSegmentWithAPendingMessageStays() {
        ledger.opened(1);
        ledger.reserve("m");
        ledger.stored("m", List.of("a", "b"), 1);
        ledger.opened(2);
        assertThat(ledger.done("m", "a")).hasValue(1);
        assertThat(ledger.deletable()).isEmpty();
        assertThat(ledger.done("m", "b")).hasValue(1);
        assertThat(ledger.done("m", "b")).isEmpty(); // already done
        assertThat(ledger.deletable()).containsExactly(1L);
        assertThat(ledger.pendingCount()).isZero();
    }

    @Test
    void outcomesStayUntilTheSegmentOfTheirMessageIsGone() {
        ledger.opened(1);
        store("a", 1);
        store("c", 1);
        ledger.opened(2);
        ledger.done("a", "r");
        ledger.doneWritten(2, 1); // a's outcome is in segment 2
        ledger.opened(3);
        assertThat(ledger.deletable()).as("1 holds c, 2 finishes a of 1").isEmpty();

        ledger.done("c", "r");
        assertThat(ledger.deletable()).containsExactly(1L); // 2 must wait until 1's deletion is durable
        ledger.deleted(List.of(1L));
        assertThat(ledger.deletable()).containsExactly(2L);
    }

    @Test
    void anOutcomeWrittenAfterItsMessageSegmentIsGoneRefersToNothing() {
        ledger.opened(1);
        store("a", 1);
        ledger.opened(2);
        ledger.done("a", "r");
        ledger.deleted(ledger.deletable());
        ledger.doneWritten(2, 1);
        ledger.opened(3);
        assertThat(ledger.deletable()).containsExactly(2L);
    }

    @Test
    void anIdIsReservedWhileInFlightAndWhilePending() {
        ledger.opened(1);
        ledger.reserve("m");
        assertThatThrownBy(() -> ledger.reserve("m")).isInstanceOf(IllegalArgumentException.class);
        ledger.release("m");
        ledger.reserve("m");
        ledger.stored("m", List.of("r"), 1);
        assertThatThrownBy(() -> ledger.reserve("m")).isInstanceOf(IllegalArgumentException.class);
        ledger.done("m", "r");
        ledger.reserve("m"); // finished: the id may be used again
    }

    private void store(String id, long segment) {
        ledger.reserve(id);
        ledger.stored(id, List.of("r"), segment);
    }
}
