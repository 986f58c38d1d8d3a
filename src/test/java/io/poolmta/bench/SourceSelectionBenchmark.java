package io.poolmta.bench;

import io.poolmta.account.Account;
import io.poolmta.account.SendQuota;
import io.poolmta.egress.PoolSourceSelector;
import io.poolmta.egress.SendVolume;
import io.poolmta.egress.SourceSelection;
import io.poolmta.ip.IpRole;
import io.poolmta.ip.Ipv4;
import io.poolmta.ip.SendingIp;
import io.poolmta.managed.ManagedDemand;
import io.poolmta.managed.ProviderWarmupLedger;
import io.poolmta.managed.ProviderWarmupModel;
import io.poolmta.message.Envelope;
import io.poolmta.message.TlsPolicy;
import io.poolmta.pool.DedicatedIpPool;
import io.poolmta.pool.ScalingMode;
import io.poolmta.provider.ProviderTable;
import io.poolmta.store.Database;
import io.poolmta.store.JdbcAccountStore;
import io.poolmta.store.JdbcIpStore;
import io.poolmta.store.JdbcPoolStore;
import io.poolmta.store.JdbcProviderWarmupStore;
import io.poolmta.store.JdbcVolumeStore;
import io.poolmta.warmup.WarmupPlan;
import io.poolmta.warmup.WarmupState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * Source selection for one message with 1,000 IPs in 100 pools (10 IPs a pool, already warm), as
 * the delivery dispatcher calls it: the real selector over the real stores on the embedded
 * database, served from their in-memory snapshots. Goal: under 1 µs.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SourceSelectionBenchmark {
    private Database database;
    private PoolSourceSelector selector;
    private Envelope[] envelopes;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        Path dir = Files.createTempDirectory("poolmta-jmh");
        database = Database.openEmbedded(dir);
        var jdbc = database.jdbc();
        Clock clock = Clock.systemUTC();
        Instant now = clock.instant();
        new JdbcAccountStore(jdbc)
                .insert(new Account("111111111111", "bench", now, true, true, false, true, SendQuota.DEFAULT));
        JdbcIpStore ips = new JdbcIpStore(jdbc);
        JdbcPoolStore pools = new JdbcPoolStore(jdbc);
        jdbc.run(() -> {
            for (int p = 0; p < 100; p++) {
                pools.insert(new DedicatedIpPool("111111111111", "pool-" + p, ScalingMode.STANDARD, now));
                for (int i = 0; i < 10; i++) {
                    int n = p * 10 + i;
                    ips.insert(new SendingIp(
                            new Ipv4("127.0." + (1 + n / 250) + "." + (1 + n % 250)),
                            IpRole.DEDICATED,
                            Optional.of("111111111111"),
                            Optional.of("pool-" + p),
                            "mta" + n + ".bench.test",
                            WarmupState.done(now),
                            now));
                }
            }
        });
        WarmupPlan plan = WarmupPlan.standard();
        ProviderTable providers = ProviderTable.defaults();
        selector = new PoolSourceSelector(
                ips,
                pools,
                plan,
                new SendVolume(new JdbcVolumeStore(jdbc)),
                new ProviderWarmupLedger(
                        new ProviderWarmupModel(plan.dailyCaps()),
                        new JdbcProviderWarmupStore(jdbc),
                        List.of("google", "other"),
                        clock),
                new ManagedDemand(),
                providers,
                clock);
        envelopes = new Envelope[1024];
        for (int i = 0; i < envelopes.length; i++) {
            envelopes[i] = new Envelope(
                    "0100-bench-" + i,
                    "111111111111",
                    Optional.of("set"),
                    "pool-" + (i % 100),
                    "s@bench.test",
                    List.of("r@example.com"),
                    now,
                    now.plusSeconds(3600),
                    TlsPolicy.OPTIONAL,
                    Map.of());
        }
    }

    @Benchmark
    public SourceSelection selectSource() {
        Envelope envelope = envelopes[next++ & 1023];
        return selector.select(envelope, "example.com", "other", Optional.empty());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        database.close();
    }
}
