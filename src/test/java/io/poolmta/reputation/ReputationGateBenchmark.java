package io.poolmta.reputation;

import io.poolmta.pool.PoolNames;
import io.poolmta.testing.MutableClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The reputation check of one accepted message ({@link ReputationGate#check}): an account with a
 * full enforcement window (7 days of hourly counters, 100 sends and one bounce an hour) sending
 * through a configuration set with reputation metrics on, so the account, the set and the
 * account's shared-pool scopes are all looked at. In this package for the test fixture.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class ReputationGateBenchmark {
    private Path dir;
    private ReputationFixture fixture;
    private ReputationGate gate;
    private String account;
    private final Optional<String> set = Optional.of("marketing");

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("reputation-gate-bench");
        MutableClock clock = new MutableClock(Instant.parse("2026-03-02T10:15:00Z"));
        fixture = new ReputationFixture(dir, clock, ReputationPolicy.DEFAULT);
        account = fixture.account("acme");
        fixture.createSet(account, "marketing", true);
        for (int hour = 0; hour < 7 * 24; hour++) {
            fixture.send(account, set, PoolNames.DEFAULT_POOL, 100);
            fixture.bounce(account, set, PoolNames.DEFAULT_POOL, 1);
            clock.advance(Duration.ofHours(1));
        }
        gate = new ReputationGate(fixture.enforcement, id -> true, clock);
    }

    @TearDown
    public void tearDown() throws IOException {
        fixture.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Benchmark
    public String check() {
        gate.check(account, set, PoolNames.DEFAULT_POOL);
        return account;
    }
}
