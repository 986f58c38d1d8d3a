package io.poolmta.managed;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.account.AccountService;
import io.poolmta.ip.IpRole;
import io.poolmta.ip.Ipv4;
import io.poolmta.ip.SendingIp;
import io.poolmta.pool.DedicatedIpPool;
import io.poolmta.pool.ScalingMode;
import io.poolmta.store.Database;
import io.poolmta.store.JdbcAccountStore;
import io.poolmta.store.JdbcIpStore;
import io.poolmta.store.JdbcLeaderLease;
import io.poolmta.store.JdbcManagedDemandStore;
import io.poolmta.store.JdbcPoolStore;
import io.poolmta.store.JdbcProviderWarmupStore;
import io.poolmta.testing.MutableClock;
import io.poolmta.warmup.WarmupPlan;
import io.poolmta.warmup.WarmupState;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Managed-pool scaling in a cluster, two nodes on one database: the pass is taken by the node that
 * holds the lease, the other hands its unmet demand over, and the lease moves when its holder
 * stops renewing it.
 */
class ClusterScalingTest {
    private static final Instant T0 = Instant.parse("2026-03-01T10:03:00Z");
    private static final Duration LEASE = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    final MutableClock clock = new MutableClock(T0);
    Database database;
    JdbcIpStore ips;
    String account;

    @BeforeEach
    void open() {
        database = Database.openEmbedded(dir);
        AccountService accounts = new AccountService(new JdbcAccountStore(database.jdbc()), database.jdbc(), clock);
        account = accounts.create("acme").account().id();
        new JdbcPoolStore(database.jdbc()).insert(new DedicatedIpPool(account, "managed", ScalingMode.MANAGED, T0));
        ips = new JdbcIpStore(database.jdbc());
        for (String address : List.of("127.0.0.21", "127.0.0.22")) {
            ips.insert(new SendingIp(
                    Ipv4.parse(address),
                    IpRole.RESERVE,
                    Optional.empty(),
                    Optional.empty(),
                    "mta.test",
                    WarmupState.startingAt(T0),
                    T0));
        }
    }

    @AfterEach
    void close() {
        database.close();
    }

    private record Node(ManagedDemand demand, ManagedPoolScaler scaler) {}

    private Node node(String name) {
        ManagedDemand demand = new ManagedDemand();
        AccountService accounts = new AccountService(new JdbcAccountStore(database.jdbc()), database.jdbc(), clock);
        ProviderWarmupLedger ledger = new ProviderWarmupLedger(
                new ProviderWarmupModel(WarmupPlan.standard().dailyCaps()),
                new JdbcProviderWarmupStore(database.jdbc()),
                List.of("Google"),
                clock);
        return new Node(
                demand,
                new ManagedPoolScaler(
                        accounts,
                        new JdbcPoolStore(database.jdbc()),
                        ips,
                        ledger,
                        demand,
                        ScalingPolicy.DEFAULT,
                        database.jdbc(),
                        clock,
                        new JdbcLeaderLease(database.jdbc(), name, LEASE, clock),
                        new JdbcManagedDemandStore(database.jdbc())));
    }

    private List<String> poolIps() {
        return ips.inPool(account, "managed").stream()
                .map(ip -> ip.address().text())
                .toList();
    }

    @Test
    void theLeaseHolderScalesForDemandSeenOnAnyNode() {
        Node a = node("node-a");
        Node b = node("node-b");
        assertThat(a.scaler().runOnce()).isEmpty(); // node-a takes the lease

        b.demand().recordMiss(account, "managed", "Google");
        assertThat(b.scaler().runOnce()).isEmpty(); // not the holder: hands its demand over
        assertThat(poolIps()).isEmpty();

        List<ScalingChange> changes = a.scaler().runOnce();
        assertThat(changes).hasSize(1);
        assertThat(changes.getFirst().direction()).isEqualTo(ScalingChange.Direction.OUT);
        assertThat(poolIps()).containsExactly("127.0.0.21");
        assertThat(new JdbcManagedDemandStore(database.jdbc()).takeAll()).isEmpty(); // taken once
    }

    @Test
    void theLeaseMovesWhenItsHolderStopsRenewingIt() {
        JdbcLeaderLease a = new JdbcLeaderLease(database.jdbc(), "node-a", LEASE, clock);
        JdbcLeaderLease b = new JdbcLeaderLease(database.jdbc(), "node-b", LEASE, clock);

        assertThat(a.holds(ManagedPoolScaler.TASK)).isTrue();
        assertThat(b.holds(ManagedPoolScaler.TASK)).isFalse();
        clock.advance(LEASE.minusSeconds(1));
        assertThat(a.holds(ManagedPoolScaler.TASK)).isTrue(); // renewed for another period
        clock.advance(LEASE.minusSeconds(1));
        assertThat(b.holds(ManagedPoolScaler.TASK)).isFalse();
        assertThat(b.holds("another-task")).isTrue(); // leases are per task

        clock.advance(LEASE.plusSeconds(1)); // node-a stopped asking
        assertThat(b.holds(ManagedPoolScaler.TASK)).isTrue();
        assertThat(a.holds(ManagedPoolScaler.TASK)).isFalse();
    }

    @Test
    void demandFromSeveralNodesAddsUpAndIsTakenOnce() {
        JdbcManagedDemandStore store = new JdbcManagedDemandStore(database.jdbc());
        ManagedDemand.Key google = new ManagedDemand.Key(account, "managed", "Google");
        ManagedDemand.Key yahoo = new ManagedDemand.Key(account, "managed", "Yahoo");

        store.add(Map.of(google, 3L));
        store.add(Map.of(google, 2L, yahoo, 1L));

        assertThat(store.takeAll()).containsOnly(Map.entry(google, 5L), Map.entry(yahoo, 1L));
        assertThat(store.takeAll()).isEmpty();
    }
}
