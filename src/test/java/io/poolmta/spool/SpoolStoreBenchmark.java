package io.poolmta.spool;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;

/**
 * One durable store of a 2 KB or 50 KB message into a real {@link FileSpool} in the temp directory: the
 * record written and fsynced before {@code store} returns. {@code alone}: one thread, one fsync per
 * store (the latency a lone client sees); {@code among8}: eight threads, whose stores share fsyncs
 * (group commit). With and without the zeros written ahead of the records
 * ({@link SpoolSettings#prepareAheadBytes}), the difference being what an fsync costs when the file
 * must grow. {@code readBack}: a stored message's content read back, as each delivery attempt does.
 * In this package because the test helpers of {@link SpoolMessages} are package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SpoolStoreBenchmark {
    @Param({"0", "1048576"})
    public int prepareAheadBytes;

    @Param({"2048"})
    public int contentBytes;

    private final AtomicLong ids = new AtomicLong();
    private Path directory;
    private FileSpool spool;
    private byte[] content;
    private StoredMessage stored;

    @Setup(Level.Iteration)
    public void open() throws IOException {
        directory = Files.createTempDirectory("poolmta-spool-bench");
        spool = new FileSpool(directory, SpoolSettings.defaults().withPrepareAheadBytes(prepareAheadBytes));
        spool.recover();
        content = SpoolMessages.content("bench", contentBytes);
        stored = store();
    }

    @TearDown(Level.Iteration)
    public void close() throws IOException {
        spool.close();
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(file);
            }
        }
    }

    @Benchmark
    @Threads(1)
    public StoredMessage alone() {
        return store();
    }

    @Benchmark
    @Threads(8)
    public StoredMessage among8() {
        return store();
    }

    /** A stored message's content read back for delivery (from the page cache), checksum checked. */
    @Benchmark
    @Threads(1)
    public byte[] readBack() {
        return spool.content(stored);
    }

    private StoredMessage store() {
        String id = "m-" + ids.incrementAndGet();
        SpooledMessage m = SpoolMessages.message(id, 0, "r@example.com");
        return spool.store(new SpooledMessage(m.envelope(), content));
    }
}
