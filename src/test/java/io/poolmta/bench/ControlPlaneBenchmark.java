package io.poolmta.bench;

import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.GetDedicatedIpPoolResponse;

/**
 * SES API control-plane calls through one node, on the embedded H2 database and on PostgreSQL
 * (the embedded server the tests use, on loopback): a read ({@code getPool}, GetDedicatedIpPool,
 * served from the node's snapshot) and a write ({@code createAndDeleteSet}, CreateConfigurationSet
 * then DeleteConfigurationSet: two transactions, each with the cluster-wide lock and a NOTIFY on
 * PostgreSQL). Through the AWS SDK v2 client over loopback HTTP with SigV4, as a user calls them.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class ControlPlaneBenchmark {
    @Param({"h2", "postgresql"})
    public String database;

    private TestServer server;
    private SesV2Client ses;
    private final AtomicLong sets = new AtomicLong();

    @Setup
    public void setUp() throws Exception {
        System.setProperty("poolmta.test.database", database);
        Path dir = Files.createTempDirectory("control-plane-bench");
        server = TestServer.start(dir);
        TestAccount acme = server.createAccount("acme");
        ses = server.ses(acme);
        ses.createDedicatedIpPool(r -> r.poolName("marketing"));
    }

    @TearDown
    public void tearDown() {
        server.close();
        System.clearProperty("poolmta.test.database");
    }

    @Benchmark
    public GetDedicatedIpPoolResponse getPool() {
        return ses.getDedicatedIpPool(r -> r.poolName("marketing"));
    }

    @Benchmark
    public Object createAndDeleteSet() {
        String name = "set-" + sets.incrementAndGet();
        ses.createConfigurationSet(
                r -> r.configurationSetName(name).deliveryOptions(d -> d.sendingPoolName("marketing")));
        return ses.deleteConfigurationSet(r -> r.configurationSetName(name));
    }
}
