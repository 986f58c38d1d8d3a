package io.poolmta.identity;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The DKIM body hash (relaxed canonicalization and SHA-256) of one message body of 2 KB or 50 KB,
 * without the signature itself: lines of 78 characters as the end-to-end benchmark sends
 * ({@code clean}), or lines ending in two spaces, which canonicalization rewrites ({@code
 * trailingSpaces}). In this package because the hash is package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DkimBodyHashBenchmark {
    @Param({"2048", "51200"})
    public int bodyBytes;

    @Param({"clean", "trailingSpaces"})
    public String shape;

    private byte[] body;

    @Setup
    public void setUp() {
        StringBuilder b = new StringBuilder();
        for (int line = 1; b.length() < bodyBytes; line++) {
            b.append(line)
                    .append("X".repeat(74 - Integer.toString(line).length()))
                    .append(shape.equals("clean") ? "XX" : "  ")
                    .append("\r\n");
        }
        body = b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public byte[] relaxedBodyHash() {
        return DkimSigner.relaxedBodyHash(body, 0, body.length);
    }
}
