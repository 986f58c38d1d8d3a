package io.poolmta.delivery.smtp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A spooled message's content turned into its wire form for DATA, once per delivery: messages of
 * 2 KB and 50 KB in CRLF lines of 78 characters, as the spool holds them (the end-to-end
 * benchmark's shape). {@code encode}: the wire form alone; {@code toSocket}: the wire form and the
 * next transaction's MAIL command (pipelined after it) handed to the socket's write, as a delivery
 * does it, with the write itself left out. In this package because {@link WireContent} is
 * package-private.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class WireContentBenchmark {
    @Param({"2048", "51200"})
    public int bodyBytes;

    private static final byte[] MAIL = "MAIL FROM:<bounce@bench.test> SIZE=51234".getBytes(StandardCharsets.US_ASCII);

    private byte[] content;

    @Setup
    public void setUp() {
        StringBuilder b =
                new StringBuilder("From: <sender@bench.test>\r\nTo: <user@bench.test>\r\nSubject: bench\r\n\r\n");
        for (int line = 1; b.length() < bodyBytes; line++) {
            b.append(line)
                    .append("X".repeat(76 - Integer.toString(line).length()))
                    .append("\r\n");
        }
        content = b.toString().getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public WireContent encode() {
        return WireContent.encode(content);
    }

    @Benchmark
    public void toSocket(Blackhole socket) throws IOException {
        WireWriter.write((bytes, offset, length) -> socket.consume(bytes), WireContent.encode(content), List.of(MAIL));
    }
}
