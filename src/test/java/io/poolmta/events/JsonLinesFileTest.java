package io.poolmta.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link JsonLinesFile} under many concurrent writers: every line is in the file when its append
 * returns, exactly once and whole; a write that cannot happen fails every caller whose line it held.
 */
class JsonLinesFileTest {
    @TempDir
    Path dir;

    @Test
    void concurrentLinesAreAllWrittenWholeAndOnce() throws Exception {
        Path path = dir.resolve("sub").resolve("events.jsonl");
        int threads = 64;
        int perThread = 500;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger seenTooEarly = new AtomicInteger();
        List<Thread> writers = new ArrayList<>();
        try (JsonLinesFile file = new JsonLinesFile(path)) {
            for (int t = 0; t < threads; t++) {
                int id = t;
                writers.add(Thread.ofVirtual().start(() -> {
                    try {
                        start.await();
                        for (int i = 0; i < perThread; i++) {
                            String line = "{\"writer\":" + id + ",\"n\":" + i + ",\"pad\":\"" + "x".repeat(i % 300) + "\"}\n";
                            file.append(line.getBytes(StandardCharsets.UTF_8));
                            if (i % 100 == 0 && !Files.readString(path).contains(line)) {
                                seenTooEarly.incrementAndGet();
                            }
                        }
                    } catch (IOException | InterruptedException e) {
                        throw new AssertionError(e);
                    }
                }));
            }
            start.countDown();
            for (Thread writer : writers) {
                writer.join();
            }
        }
        List<String> lines = Files.readAllLines(path);
        assertThat(lines).hasSize(threads * perThread);
        Set<String> distinct = new HashSet<>(lines);
        assertThat(distinct).hasSize(threads * perThread);
        assertThat(lines).allMatch(l -> l.matches("\\{\"writer\":\\d+,\"n\":\\d+,\"pad\":\"x*\"}"));
        assertThat(seenTooEarly).hasValue(0);
    }

    @Test
    void aLineThatCannotBeWrittenFailsItsCaller() throws Exception {
        Path notADirectory = dir.resolve("file");
        Files.writeString(notADirectory, "x");
        try (JsonLinesFile file = new JsonLinesFile(notADirectory.resolve("events.jsonl"))) {
            assertThatThrownBy(() -> file.append("{}\n".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
            assertThatThrownBy(() -> file.append("{}\n".getBytes(StandardCharsets.UTF_8))).isInstanceOf(IOException.class);
        }
    }
}
