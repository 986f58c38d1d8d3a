package io.poolmta.spool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a stream of stores: every store that returned before the kill is
 * recovered, byte for byte. The child JVM prints an id only after {@code store} returned for it.
 */
class SpoolCrashTest {
    private static final int ACKS_BEFORE_KILL = 300;
    private static final SpoolSettings CHILD_SETTINGS = SpoolSettings.defaults().withSegmentBytes(256 * 1024);

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedMessageSurvivesKillMinusNine() throws Exception {
        Path spool = dir.resolve("spool");
        Path childErr = dir.resolve("child.err");
        Process child = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Child.class.getName(),
                        spool.toString())
                .redirectError(childErr.toFile())
                .start();
        Set<String> acked = ConcurrentHashMap.newKeySet();
        Thread reader = Thread.ofVirtual().start(() -> readAcks(child, acked));
        try {
            await().atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(5))
                    .failFast("child exited early: " + childErr, () -> !child.isAlive())
                    .until(() -> acked.size() >= ACKS_BEFORE_KILL);
        } finally {
            child.destroyForcibly(); // SIGKILL: no shutdown hooks, no close()
            assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
        }
        reader.join(Duration.ofSeconds(10)); // every line written before the kill is an acknowledgement
        assertThat(child.exitValue()).as("killed, not finished").isNotZero();
        assertThat(acked).hasSizeGreaterThanOrEqualTo(ACKS_BEFORE_KILL);

        try (FileSpool recovered = new FileSpool(spool, CHILD_SETTINGS)) {
            Map<String, StoredMessage> byId = recovered.recover().stream()
                    .collect(Collectors.toMap(StoredMessage::messageId, Function.identity()));
            System.out.printf(
                    "crash: %d acknowledged, %d recovered, report %s%n",
                    acked.size(), byId.size(), recovered.recoveryReport());
            assertThat(byId.keySet()).containsAll(acked);
            for (String id : acked) {
                SpooledMessage expected = Child.message(id);
                assertThat(byId.get(id).envelope()).isEqualTo(expected.envelope());
                assertThat(recovered.content(byId.get(id)))
                        .as("content of %s", id)
                        .isEqualTo(expected.content());
            }
        }
    }

    private static void readAcks(Process child, Set<String> acked) {
        try (BufferedReader lines = child.inputReader()) {
            for (String line; (line = lines.readLine()) != null; ) {
                if (line.startsWith("ack ") && line.endsWith(";")) { // a line cut by the kill is not an ack
                    acked.add(line.substring(4, line.length() - 1));
                }
            }
        } catch (IOException e) {
            // the pipe closes when the child dies
        }
    }

    /** The child JVM: stores from 8 virtual threads until killed (or 200,000 messages). */
    static final class Child {
        private static final int THREADS = 8;
        private static final int PER_THREAD = 25_000;

        static SpooledMessage message(String id) {
            int size = 300 + Math.floorMod(id.hashCode(), 6000);
            return SpoolMessages.message(id, size, "a@example.com", "b@example.org");
        }

        public static void main(String[] args) throws Exception {
            PrintStream out = System.out;
            try (FileSpool spool = new FileSpool(Path.of(args[0]), CHILD_SETTINGS)) {
                List<StoredMessage> previous = spool.recover();
                if (!previous.isEmpty()) {
                    throw new IllegalStateException("expected an empty spool");
                }
                try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
                    for (int t = 0; t < THREADS; t++) {
                        int thread = t;
                        threads.submit(() -> {
                            for (int i = 0; i < PER_THREAD; i++) {
                                String id = "c" + thread + "-" + i;
                                spool.store(message(id));
                                synchronized (out) {
                                    out.println("ack " + id + ";");
                                    out.flush();
                                }
                            }
                            return null;
                        });
                    }
                }
            }
            Files.writeString(Path.of(args[0]).resolve("finished"), "the test should have killed this process");
        }
    }
}
