package io.poolmta.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * How fast one egress path's tasks leave: at most the path's connections, each with its share of
 * the queue, and an open connection that waits a while for more instead of closing. No sockets:
 * the queue only counts connections, the test plays them.
 */
class ReadyQueueTest {
    private static final Duration NO_IDLE = Duration.ZERO;

    @Test
    void opensAConnectionPerWaitingTaskUpToThePathsLimit() {
        ReadyQueue<String> queue = new ReadyQueue<>();

        assertThat(queue.add("m1", 2)).isTrue();
        assertThat(queue.add("m2", 2)).isTrue();
        assertThat(queue.add("m3", 2))
                .as("the path holds two connections at most")
                .isFalse();
        assertThat(queue.add("m4", 2)).isFalse();

        assertThat(queue.workers()).isEqualTo(2);
        assertThat(queue.size()).isEqualTo(4);
    }

    @Test
    void eachConnectionTakesItsShareOfTheQueueAndNoMoreThanItsLimit() {
        ReadyQueue<String> queue = new ReadyQueue<>();
        for (int i = 1; i <= 10; i++) {
            queue.add("m" + i, 2);
        }

        assertThat(queue.take(100, 2))
                .as("half of ten for each of two connections")
                .containsExactly("m1", "m2", "m3", "m4", "m5");
        assertThat(queue.take(3, 2))
                .as("the per-connection limit caps the share")
                .containsExactly("m6", "m7", "m8");
        assertThat(queue.take(100, 2)).containsExactly("m9");
        assertThat(queue.take(100, 2)).containsExactly("m10");
    }

    @Test
    void aConnectionThatFindsTheQueueEmptyRetires() {
        ReadyQueue<String> queue = new ReadyQueue<>();
        queue.add("m1", 1);

        assertThat(queue.take(100, 1)).containsExactly("m1");
        assertThat(queue.workers()).isEqualTo(1);
        assertThat(queue.take(100, 1)).isEmpty();
        assertThat(queue.workers()).isZero();
        assertThat(queue.add("m2", 1))
                .as("the path has room for a connection again")
                .isTrue();
    }

    @Test
    void connectionsOverALoweredLimitRetireAtTheirNextTake() {
        ReadyQueue<String> queue = new ReadyQueue<>();
        queue.add("m1", 4);
        queue.add("m2", 4);
        queue.add("m3", 4);

        assertThat(queue.take(100, 1))
                .as("three connections, the throttle now allows one")
                .isEmpty();
        assertThat(queue.take(100, 1)).isEmpty();
        assertThat(queue.workers()).isEqualTo(1);
        assertThat(queue.more(100, 1, NO_IDLE)).containsExactly("m1", "m2", "m3");
    }

    @Test
    void anOpenConnectionTakesWhatIsQueuedWithoutWaiting() {
        ReadyQueue<String> queue = new ReadyQueue<>();
        queue.add("m1", 1);
        assertThat(queue.take(100, 1)).containsExactly("m1");
        queue.add("m2", 1);
        queue.add("m3", 1);

        assertThat(queue.more(1, 1, Duration.ofDays(1)))
                .as("up to the messages left for the connection")
                .containsExactly("m2");
        assertThat(queue.more(5, 1, Duration.ofDays(1))).containsExactly("m3");
        assertThat(queue.more(5, 1, NO_IDLE))
                .as("nothing queued, no idle time: closes at once")
                .isEmpty();
        assertThat(queue.more(0, 1, Duration.ofDays(1)))
                .as("the connection's limit is reached")
                .isEmpty();
    }

    @Test
    void aConnectionWaitingForMoreGetsTheNextTaskInsteadOfANewConnection() throws Exception {
        ReadyQueue<String> queue = new ReadyQueue<>();
        queue.add("m1", 2);
        assertThat(queue.take(100, 2)).containsExactly("m1");
        CompletableFuture<List<String>> waiting =
                CompletableFuture.supplyAsync(() -> queue.more(100, 2, Duration.ofMinutes(5)));
        while (queue.waiting() == 0) {
            Thread.onSpinWait();
        }

        assertThat(queue.add("m2", 2))
                .as("the waiting connection takes it: no second connection")
                .isFalse();
        assertThat(waiting.get(1, TimeUnit.MINUTES)).containsExactly("m2");
        assertThat(queue.workers()).isEqualTo(1);
    }

    @Test
    void closingEndsTheWaitOfAnIdleConnection() throws Exception {
        ReadyQueue<String> queue = new ReadyQueue<>();
        queue.add("m1", 1);
        queue.take(100, 1);
        CompletableFuture<List<String>> waiting =
                CompletableFuture.supplyAsync(() -> queue.more(100, 1, Duration.ofMinutes(5)));
        while (queue.waiting() == 0) {
            Thread.onSpinWait();
        }

        queue.close();

        assertThat(waiting.get(1, TimeUnit.MINUTES)).isEmpty();
    }
}
