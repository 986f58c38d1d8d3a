package io.poolmta.delivery;

import static io.poolmta.delivery.TestMessages.message;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.ip.Ipv4;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * When tasks are due: in due order, after the backoff of their attempt, never after their expiry,
 * and expired ones bounce. The test steps time itself; nothing sleeps.
 */
class ScheduledQueueTest {
    private static final Instant T0 = Instant.parse("2025-06-02T09:00:00Z");
    private static final RetryPolicy BACKOFF = new RetryPolicy(Duration.ofMinutes(1), Duration.ofMinutes(4));

    private final List<String> handed = new ArrayList<>();
    private final List<DeliveryTask> due = new ArrayList<>();
    private final ScheduledQueue queue = new ScheduledQueue(BACKOFF, new ScheduledQueue.Target() {
        @Override
        public void expired(DeliveryTask task, Instant now) {
            handed.add("expired " + task.message().messageId() + " " + task.domain());
        }

        @Override
        public void due(DeliveryTask task, Instant now) {
            handed.add("due " + task.message().messageId() + " " + task.domain());
            due.add(task);
        }
    });

    @Test
    void handsOutDueTasksEarliestFirstAndKeepsTheOthers() {
        queue.add(message("b", T0, Duration.ofHours(1), "x@b.example"), T0.plusSeconds(20));
        queue.add(
                message("a", T0, Duration.ofHours(1), "x@a.example", "y@A.example", "z@c.example"), T0.plusSeconds(10));
        queue.add(message("later", T0, Duration.ofHours(1), "x@b.example"), T0.plusSeconds(60));

        queue.dispatchDue(T0.plusSeconds(30));

        assertThat(handed).containsExactly("due a a.example", "due a c.example", "due b b.example");
        assertThat(due.getFirst().recipients()).containsExactly("x@a.example", "y@A.example");
        assertThat(queue.size()).isOne();
        queue.dispatchDue(T0.plusSeconds(59));
        assertThat(handed).hasSize(3);
        queue.dispatchDue(T0.plusSeconds(60));
        assertThat(handed).last().isEqualTo("due later b.example");
    }

    @Test
    void aRetryWaitsTheBackoffOfItsAttemptDoublingUpToTheMaximum() {
        queue.add(message("m", T0, Duration.ofDays(1), "x@a.example"), T0);
        queue.dispatchDue(T0);
        Instant now = T0;
        for (Duration wait :
                List.of(Duration.ofMinutes(1), Duration.ofMinutes(2), Duration.ofMinutes(4), Duration.ofMinutes(4))) {
            queue.retry(due.removeLast(), Optional.of(new Ipv4("127.0.0.11")), "451 4.3.0 try again", now);
            queue.dispatchDue(now.plus(wait).minusMillis(1));
            assertThat(due).as("not before %s", wait).isEmpty();
            now = now.plus(wait);
            queue.dispatchDue(now);
            assertThat(due).as("due after %s", wait).hasSize(1);
        }

        DeliveryTask fifth = due.getLast();
        assertThat(fifth.attempts()).isEqualTo(4);
        assertThat(fifth.lastIp()).contains(new Ipv4("127.0.0.11"));
        assertThat(fifth.lastReply()).contains("451 4.3.0 try again");
    }

    @Test
    void noTaskIsDueAfterItsExpiryWhereItBounces() {
        queue.add(message("m", T0, Duration.ofSeconds(90), "x@a.example"), T0);
        queue.dispatchDue(T0);
        queue.retry(due.removeLast(), Optional.empty(), "451 busy", T0.plusSeconds(60)); // backoff would be 1 min

        queue.dispatchDue(T0.plusSeconds(89));
        assertThat(handed).containsExactly("due m a.example");
        queue.dispatchDue(T0.plusSeconds(90));

        assertThat(handed).containsExactly("due m a.example", "expired m a.example");
        assertThat(queue.size()).isZero();
    }

    @Test
    void aHeldBackTaskComesBackWhenItsHoldEndsWithoutAnAttemptCounted() {
        queue.add(message("m", T0, Duration.ofHours(1), "x@a.example"), T0);
        queue.dispatchDue(T0);
        queue.holdBack(due.removeLast(), T0.plusSeconds(600), Optional.of("451 4.7.0 paused"));

        queue.dispatchDue(T0.plusSeconds(599));
        assertThat(due).isEmpty();
        queue.dispatchDue(T0.plusSeconds(600));

        assertThat(due).singleElement().satisfies(task -> {
            assertThat(task.attempts()).isZero();
            assertThat(task.lastReply()).contains("451 4.7.0 paused");
        });
    }

    @Test
    void aHoldBeyondTheExpiryEndsAtTheExpiry() {
        queue.add(message("m", T0, Duration.ofMinutes(10), "x@a.example"), T0);
        queue.dispatchDue(T0);
        queue.holdBack(due.removeLast(), T0.plus(Duration.ofHours(1)), Optional.empty());

        queue.dispatchDue(T0.plus(Duration.ofMinutes(10)));

        assertThat(handed).containsExactly("due m a.example", "expired m a.example");
    }
}
