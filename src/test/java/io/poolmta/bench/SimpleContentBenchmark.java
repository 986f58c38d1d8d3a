package io.poolmta.bench;

import io.poolmta.message.Content;
import io.poolmta.message.Mailbox;
import io.poolmta.message.MimeBuilder;
import io.poolmta.message.SimpleMessage;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
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
 * What SendEmail does with a Simple text body before the spool: the body as {@link Content} (the
 * charset check), then the whole message as MIME ({@link MimeBuilder#build}). Bodies of 2 KB and
 * 50 KB in lines of 78 characters, as the end-to-end benchmark sends.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SimpleContentBenchmark {
    @Param({"2048", "51200"})
    public int bodyBytes;

    private String body;
    private MimeBuilder builder;

    @Setup
    public void setUp() {
        StringBuilder b = new StringBuilder();
        for (int line = 1; b.length() < bodyBytes; line++) {
            b.append(line)
                    .append("X".repeat(76 - Integer.toString(line).length()))
                    .append("\r\n");
        }
        body = b.toString();
        builder = new MimeBuilder(Clock.systemUTC(), "bench.test");
    }

    @Benchmark
    public byte[] textMessage() {
        SimpleMessage message = new SimpleMessage(
                Mailbox.of("sender@bench.test"),
                List.of(Mailbox.of("user@bench.test")),
                List.of(),
                List.of(),
                Content.utf8("bench"),
                Optional.of(Content.utf8(body)),
                Optional.empty(),
                List.of(),
                List.of());
        return builder.build(message, "0100018c-bench");
    }
}
