package io.poolmta.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link WebhookQueue}: events come out in order, exactly those not yet passed, across reopening;
 * segments roll over and are deleted only after the reader passed them; progress not saved is
 * read again (at least once); an unfinished line from a failed write is cut off.
 */
class WebhookQueueTest {
    @TempDir
    Path dir;

    @Test
    void segmentsRollOverAndOnlyReadOnesAreDeleted() throws IOException {
        int written;
        try (WebhookQueue q = WebhookQueue.open(dir, 300)) {
            for (int i = 0; i < 40; i++) {
                q.append(1000 + i, event(i));
            }
            written = segmentFiles().size();
            assertThat(written).as("segments after 40 events of ~40 bytes").isGreaterThan(4);
            assertThat(q.pending()).isEqualTo(40);
            assertThat(take(q, 15)).containsExactlyElementsOf(events(0, 15));
            q.savePosition();
        }

        try (WebhookQueue q = WebhookQueue.open(dir, 300)) {
            assertThat(q.pending()).isEqualTo(25);
            assertThat(segmentFiles().size())
                    .as("passed segments deleted, unread ones kept")
                    .isLessThan(written)
                    .isGreaterThan(1);
            WebhookQueue.Entry first = q.peek();
            assertThat(first.queuedAtMillis()).isEqualTo(1015);
            q.append(2000, event(40));
            assertThat(take(q, 26)).containsExactlyElementsOf(events(15, 41));
            assertThat(q.peek()).isNull();
            assertThat(q.pending()).isZero();
            q.savePosition();
        }
        try (WebhookQueue q = WebhookQueue.open(dir, 300)) {
            assertThat(q.pending()).isZero();
            assertThat(q.peek()).isNull();
            assertThat(segmentFiles()).hasSizeLessThanOrEqualTo(1);
        }
    }

    @Test
    void progressNotSavedIsReadAgain() throws IOException {
        try (WebhookQueue q = WebhookQueue.open(dir, 1 << 20)) {
            for (int i = 0; i < 5; i++) {
                q.append(i, event(i));
            }
            take(q, 2);
            q.savePosition();
            take(q, 2); // sent, but the process dies before the position is saved
        }
        try (WebhookQueue q = WebhookQueue.open(dir, 1 << 20)) {
            assertThat(q.pending()).isEqualTo(3);
            assertThat(take(q, 3)).containsExactlyElementsOf(events(2, 5));
        }
    }

    @Test
    void anUnfinishedLineIsCutOffAtOpen() throws IOException {
        try (WebhookQueue q = WebhookQueue.open(dir, 1 << 20)) {
            q.append(1, event(1));
        }
        Files.writeString(segmentFiles().getFirst(), "2 {\"half\":", StandardCharsets.UTF_8, StandardOpenOption.APPEND);

        try (WebhookQueue q = WebhookQueue.open(dir, 1 << 20)) {
            assertThat(q.pending()).isEqualTo(1);
            q.append(3, event(3));
            assertThat(take(q, 2)).containsExactly(event(1), event(3));
        }
    }

    @Test
    void aWriterAndAReaderAtOnceLoseNothing() throws Exception {
        int total = 2000;
        try (WebhookQueue q = WebhookQueue.open(dir, 4096)) {
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int i = 0; i < total; i++) {
                    try {
                        q.append(i, event(i));
                    } catch (IOException e) {
                        throw new RuntimeException(e);
                    }
                }
            });
            List<String> read = new ArrayList<>();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (read.size() < total && System.nanoTime() < deadline) {
                WebhookQueue.Entry e = q.peek();
                if (e == null) {
                    Thread.onSpinWait();
                    continue;
                }
                read.add(e.json());
                q.advance();
            }
            writer.join();
            assertThat(read).containsExactlyElementsOf(events(0, total));
            assertThat(q.pending()).isZero();
        }
    }

    private List<String> take(WebhookQueue q, int n) throws IOException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            WebhookQueue.Entry e = q.peek();
            assertThat(e).as("event %d of %d", i, n).isNotNull();
            out.add(e.json());
            q.advance();
        }
        return out;
    }

    private List<Path> segmentFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".jsonl"))
                    .sorted()
                    .toList();
        }
    }

    private static String event(int i) {
        return "{\"eventType\":\"Send\",\"n\":" + i + "}";
    }

    private static List<String> events(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(event(i));
        }
        return out;
    }
}
