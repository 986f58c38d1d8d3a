package io.poolmta.events;

import static org.assertj.core.api.Assertions.assertThat;

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
 * returns, exactly once and whole; lines a write could not take are held and written later, in order.
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
                            String line =
                                    "{\"writer\":" + id + ",\"n\":" + i + ",\"pad\":\"" + "x".repeat(i % 300) + "\"}\n";
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

    /**
     * The folder cannot be created (a file stands where it should be), as when the disk is full:
     * appends return, their lines are held, and once the folder can be made they are written first,
     * in order, before newer lines.
     */
    @Test
    void linesThatCannotBeWrittenAreHeldAndWrittenFirstOnceTheFileWorks() throws Exception {
        Path blocker = dir.resolve("events");
        Files.writeString(blocker, "not a directory");
        Path path = blocker.resolve("events.jsonl");
        try (JsonLinesFile file = new JsonLinesFile(path)) {
            for (int i = 0; i < 3; i++) {
                file.append(("{\"n\":" + i + "}\n").getBytes(StandardCharsets.UTF_8));
            }
            assertThat(file.heldLines()).isEqualTo(3);

            Files.delete(blocker); // room again
            file.append("{\"n\":3}\n".getBytes(StandardCharsets.UTF_8));
            assertThat(file.heldLines()).isZero();
            assertThat(Files.readAllLines(path)).containsExactly("{\"n\":0}", "{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
            assertThat(file.dropped()).isZero();
        }
    }

    /** Held lines are retried by close, too. */
    @Test
    void closeWritesWhatIsHeldWhenItCan() throws Exception {
        Path blocker = dir.resolve("events");
        Files.writeString(blocker, "not a directory");
        Path path = blocker.resolve("events.jsonl");
        JsonLinesFile file = new JsonLinesFile(path);
        file.append("{\"n\":0}\n".getBytes(StandardCharsets.UTF_8));
        Files.delete(blocker);
        file.close();
        assertThat(Files.readAllLines(path)).containsExactly("{\"n\":0}");
    }

    /** Beyond the cap the oldest held lines go, and are counted. */
    @Test
    void atMostTheCapIsHeld() throws Exception {
        Path blocker = dir.resolve("events");
        Files.writeString(blocker, "not a directory");
        try (JsonLinesFile file = new JsonLinesFile(blocker.resolve("events.jsonl"))) {
            byte[] big = ("{\"pad\":\"" + "x".repeat(1 << 20) + "\"}\n").getBytes(StandardCharsets.UTF_8);
            long fit = JsonLinesFile.MAX_HELD_BYTES / big.length;
            for (int i = 0; i < fit + 5; i++) {
                file.append(big);
            }
            assertThat(file.heldLines()).isEqualTo(fit);
            assertThat(file.dropped()).isEqualTo(5);
        }
    }

    /** Past its size the file is renamed NAME.1 (older ones shift up, the oldest beyond keep goes) and a new one starts. */
    @Test
    void theFileRotatesAtItsSizeAndKeepsAFewOldOnes() throws Exception {
        Path path = dir.resolve("events.jsonl");
        try (JsonLinesFile file = new JsonLinesFile(path, 100, 2)) {
            for (int i = 0; i < 20; i++) {
                file.append(String.format("{\"n\":%02d,\"pad\":\"xxxxxxxxxxx\"}\n", i)
                        .getBytes(StandardCharsets.UTF_8)); // 29 bytes
            }
        }
        List<String> newest = Files.readAllLines(path);
        List<String> older = Files.readAllLines(dir.resolve("events.jsonl.1"));
        List<String> oldest = Files.readAllLines(dir.resolve("events.jsonl.2"));
        assertThat(Files.exists(dir.resolve("events.jsonl.3"))).isFalse();
        for (Path p : List.of(path, dir.resolve("events.jsonl.1"), dir.resolve("events.jsonl.2"))) {
            assertThat(Files.size(p)).as(p.toString()).isLessThanOrEqualTo(100);
        }
        List<String> all = new ArrayList<>(oldest);
        all.addAll(older);
        all.addAll(newest);
        assertThat(all)
                .as("the latest lines, whole and in order, across the files")
                .allMatch(l -> l.matches("\\{\"n\":\\d\\d,\"pad\":\"x{11}\"}"))
                .extracting(l -> Integer.parseInt(l.substring(5, 7)))
                .containsExactly(
                        12, 13, 14, 15, 16, 17, 18, 19); // three lines (87 bytes) per file; 18-19 in the newest
        assertThat(newest).hasSize(2);
    }
}
