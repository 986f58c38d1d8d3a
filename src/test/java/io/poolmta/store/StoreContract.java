package io.poolmta.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolmta.account.AccessKey;
import io.poolmta.account.Account;
import io.poolmta.account.AccountDetails;
import io.poolmta.account.ContactLanguage;
import io.poolmta.account.MailType;
import io.poolmta.account.SendCountStore.BucketCount;
import io.poolmta.account.SendCountStore.NodeCount;
import io.poolmta.account.SendQuota;
import io.poolmta.account.SmtpCredential;
import io.poolmta.advisor.DailyVolume;
import io.poolmta.configset.ConfigurationSet;
import io.poolmta.configset.DeliveryOptions;
import io.poolmta.configset.ReputationOptions;
import io.poolmta.events.DestinationKind;
import io.poolmta.events.EventDestination;
import io.poolmta.events.EventType;
import io.poolmta.feedback.SentMessage;
import io.poolmta.identity.DkimAttributes;
import io.poolmta.identity.EmailIdentity;
import io.poolmta.identity.IdentityType;
import io.poolmta.identity.MailFromAttributes;
import io.poolmta.identity.VerificationStatus;
import io.poolmta.identity.VerificationTokenStore;
import io.poolmta.ip.ClusterNodes;
import io.poolmta.ip.IpRole;
import io.poolmta.ip.Ipv4;
import io.poolmta.ip.NodeRecord;
import io.poolmta.ip.NodeStatus;
import io.poolmta.ip.SendingIp;
import io.poolmta.managed.ProviderLevel;
import io.poolmta.message.MailHeaders;
import io.poolmta.message.TlsPolicy;
import io.poolmta.nexthop.StaticRoute;
import io.poolmta.pool.DedicatedIpPool;
import io.poolmta.pool.ScalingMode;
import io.poolmta.reputation.CounterKey;
import io.poolmta.reputation.CounterRow;
import io.poolmta.reputation.Counts;
import io.poolmta.reputation.EnforcementRecord;
import io.poolmta.reputation.Granularity;
import io.poolmta.reputation.ReputationStore;
import io.poolmta.reputation.Scope;
import io.poolmta.suppression.ImportJob;
import io.poolmta.suppression.SuppressedDestination;
import io.poolmta.suppression.SuppressionReason;
import io.poolmta.suppression.SuppressionStore;
import io.poolmta.tag.ResourceType;
import io.poolmta.tag.Tag;
import io.poolmta.template.EmailTemplate;
import io.poolmta.template.TemplateContent;
import io.poolmta.template.TemplateSummary;
import io.poolmta.testing.MutableClock;
import io.poolmta.warmup.WarmupState;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The same assertions on every JDBC store, run against each database PoolMTA supports: a subclass
 * opens a fresh, migrated database per test ({@link #open()}).
 */
abstract class StoreContract {
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    static final String ACCOUNT = "111111111111";
    static final String OTHER = "222222222222";

    Database database;
    Jdbc jdbc;

    /** A fresh database, migrated to the current schema. */
    abstract Database open() throws Exception;

    @BeforeEach
    void openDatabase() throws Exception {
        database = open();
        jdbc = database.jdbc();
        JdbcAccountStore accounts = new JdbcAccountStore(jdbc);
        accounts.insert(account(ACCOUNT, "alpha"));
        accounts.insert(account(OTHER, "beta"));
    }

    @AfterEach
    void closeDatabase() {
        database.close();
    }

    static Account account(String id, String name) {
        return new Account(id, name, T0, true, true, false, true, new SendQuota(50_000, 14.5));
    }

    @Test
    void accountsKeysAndDetails() {
        JdbcAccountStore store = new JdbcAccountStore(jdbc);
        assertThat(store.byName("alpha")).contains(account(ACCOUNT, "alpha"));
        assertThat(store.all()).extracting(Account::name).containsExactlyInAnyOrder("alpha", "beta");
        Account paused = new Account(ACCOUNT, "alpha", T0, false, false, true, false, SendQuota.SANDBOX);
        store.update(paused);
        assertThat(store.byId(ACCOUNT)).contains(paused);
        assertThat(store.byId("333333333333")).isEmpty();

        store.insertKey(new AccessKey("AKPMEXAMPLE1", "secret/key+1", ACCOUNT));
        assertThat(store.key("AKPMEXAMPLE1")).contains(new AccessKey("AKPMEXAMPLE1", "secret/key+1", ACCOUNT));
        assertThat(store.key("AKPMNONE")).isEmpty();

        AccountDetails details = new AccountDetails(
                MailType.TRANSACTIONAL,
                "https://example.com",
                Optional.of(ContactLanguage.EN),
                Optional.of("receipts — ünïcode"),
                List.of("ops@example.com"),
                Optional.empty(),
                T0);
        store.putDetails(ACCOUNT, details);
        assertThat(store.details(ACCOUNT)).contains(details);
        assertThat(store.allDetails()).containsOnlyKeys(ACCOUNT);
    }

    @Test
    void smtpCredentials() {
        JdbcSmtpCredentialStore store = new JdbcSmtpCredentialStore(jdbc);
        SmtpCredential credential = new SmtpCredential("AKPMSMTP1", ACCOUNT, "pbkdf2-sha256$1$salt$hash", T0);
        store.insert(credential);
        assertThat(store.byUsername("AKPMSMTP1")).contains(credential);
        assertThat(store.byAccount(ACCOUNT)).containsExactly(credential);
        assertThat(store.delete("AKPMSMTP1")).isTrue();
        assertThat(store.delete("AKPMSMTP1")).isFalse();
        assertThat(store.byAccount(ACCOUNT)).isEmpty();
    }

    @Test
    void sendingIpsWithTheirNode() {
        JdbcIpStore store = new JdbcIpStore(jdbc);
        SendingIp dedicated = new SendingIp(
                new Ipv4("127.0.0.10"),
                IpRole.DEDICATED,
                Optional.of(ACCOUNT),
                Optional.empty(),
                "mta10.example.com",
                WarmupState.startingAt(T0),
                T0,
                Optional.of("node-a"));
        SendingIp shared = new SendingIp(
                new Ipv4("127.0.0.9"),
                IpRole.SHARED,
                Optional.empty(),
                Optional.empty(),
                "[127.0.0.9]",
                WarmupState.done(T0),
                T0,
                Optional.empty());
        store.insert(dedicated);
        store.insert(shared);
        assertThat(store.all()).containsExactly(shared, dedicated); // numeric order
        assertThat(store.ofAccount(ACCOUNT)).containsExactly(dedicated);

        SendingIp moved = dedicated
                .inPool(Optional.of("marketing"))
                .withWarmup(dedicated.warmup().pause(T0));
        store.update(moved);
        assertThat(store.byAddress(new Ipv4("127.0.0.10"))).contains(moved);
        assertThat(store.inPool(ACCOUNT, "marketing")).containsExactly(moved);

        // an update from code that does not know the node keeps the address on its node
        store.update(new SendingIp(
                moved.address(),
                moved.role(),
                moved.accountId(),
                moved.poolName(),
                moved.ehloName(),
                moved.warmup(),
                moved.addedAt()));
        assertThat(store.byAddress(moved.address()).orElseThrow().node()).contains("node-a");

        store.delete(new Ipv4("127.0.0.9"));
        assertThat(store.all()).containsExactly(moved);
    }

    @Test
    void nodesAndWhereEachIpLives() {
        JdbcIpStore ips = new JdbcIpStore(jdbc);
        JdbcNodeStore nodes = new JdbcNodeStore(jdbc);
        MutableClock clock = new MutableClock(T0);
        ClusterNodes a = new ClusterNodes("node-a", true, nodes, ips, clock);
        ClusterNodes b = new ClusterNodes("node-b", true, nodes, ips, clock);
        a.register("http://127.0.0.1:8580", "127.0.0.1:2587", Optional.empty());
        b.register("http://127.0.0.2:8580", "127.0.0.2:2587", Optional.of("127.0.0.2:2600"));
        ips.insert(new SendingIp(
                new Ipv4("127.0.0.20"),
                IpRole.RESERVE,
                Optional.empty(),
                Optional.empty(),
                "[127.0.0.20]",
                WarmupState.done(T0),
                T0,
                Optional.of("node-b")));

        assertThat(a.nodeOf("127.0.0.20")).contains("node-b");
        assertThat(a.isLocal("127.0.0.20")).isFalse();
        assertThat(b.isLocal("127.0.0.20")).isTrue();
        assertThat(a.nodeOf("127.0.0.21")).isEmpty();
        assertThat(a.nodeOf("not an address")).isEmpty();

        clock.advance(ClusterNodes.DOWN_AFTER.plusSeconds(1));
        a.heartbeat();
        List<NodeStatus> seen = a.nodes();
        assertThat(seen).extracting(NodeStatus::name).containsExactly("node-a", "node-b");
        assertThat(seen).extracting(NodeStatus::up).containsExactly(true, false);
        assertThat(seen.getFirst().apiAddress()).isEqualTo("http://127.0.0.1:8580");
        assertThat(seen.getFirst().lastHeartbeat()).isEqualTo(clock.instant());
        assertThat(seen.getFirst().startedAt()).isEqualTo(T0);
        assertThat(seen.getFirst().linkAddress()).isEmpty();
        assertThat(seen.get(1).linkAddress()).contains("127.0.0.2:2600");

        // the embedded database has one node: every IP is local, and older node rows go
        ClusterNodes single = new ClusterNodes("solo", false, nodes, ips, clock);
        single.register("http://127.0.0.1:8580", "127.0.0.1:2587", Optional.empty());
        assertThat(single.isLocal("127.0.0.20")).isTrue();
        assertThat(single.nodeOf("127.0.0.20")).contains("solo");
        assertThat(single.read()).extracting(NodeStatus::name).containsExactly("solo");

        // a node alone beats its heartbeat in memory: up however long it runs, no row written
        Instant registered = clock.instant();
        clock.advance(ClusterNodes.DOWN_AFTER.multipliedBy(4));
        single.heartbeat();
        assertThat(single.read()).singleElement().satisfies(n -> {
            assertThat(n.up()).isTrue();
            assertThat(n.lastHeartbeat()).isEqualTo(clock.instant());
            assertThat(n.startedAt()).isEqualTo(registered);
            assertThat(n.apiAddress()).isEqualTo("http://127.0.0.1:8580");
        });
        assertThat(single.nodes()).extracting(NodeStatus::up).containsExactly(true);
        assertThat(nodes.all())
                .singleElement()
                .extracting(NodeRecord::heartbeat)
                .isEqualTo(registered);
    }

    @Test
    void poolsAndConfigurationSets() {
        JdbcPoolStore pools = new JdbcPoolStore(jdbc);
        DedicatedIpPool pool = new DedicatedIpPool(ACCOUNT, "marketing", ScalingMode.STANDARD, T0);
        pools.insert(pool);
        pools.insert(new DedicatedIpPool(OTHER, "marketing", ScalingMode.MANAGED, T0));
        assertThat(pools.get(ACCOUNT, "marketing")).contains(pool);
        DedicatedIpPool managed = new DedicatedIpPool(ACCOUNT, "marketing", ScalingMode.MANAGED, T0);
        pools.update(managed);
        assertThat(pools.ofAccount(ACCOUNT)).containsExactly(managed);
        pools.delete(ACCOUNT, "marketing");
        assertThat(pools.get(ACCOUNT, "marketing")).isEmpty();
        assertThat(pools.ofAccount(OTHER)).hasSize(1);

        JdbcConfigurationSetStore sets = new JdbcConfigurationSetStore(jdbc);
        Map<String, String> stored = new LinkedHashMap<>();
        stored.put("SuppressionOptions", "{\"SuppressedReasons\":[\"BOUNCE\"]}");
        ConfigurationSet set = new ConfigurationSet(
                ACCOUNT,
                "transactional",
                T0,
                new DeliveryOptions(TlsPolicy.REQUIRE, Optional.of("marketing"), Optional.of(600L)),
                true,
                new ReputationOptions(true, Optional.of(T0)),
                stored);
        sets.insert(set);
        sets.insert(new ConfigurationSet(
                ACCOUNT, "bulk", T0, DeliveryOptions.DEFAULT, false, ReputationOptions.DEFAULT, Map.of()));
        assertThat(sets.get(ACCOUNT, "transactional")).contains(set);
        assertThat(sets.names(ACCOUNT)).containsExactlyInAnyOrder("bulk", "transactional");
        ConfigurationSet off = new ConfigurationSet(
                ACCOUNT, "transactional", T0, DeliveryOptions.DEFAULT, false, ReputationOptions.DEFAULT, Map.of());
        sets.update(off);
        assertThat(sets.get(ACCOUNT, "transactional")).contains(off);

        JdbcEventDestinationStore destinations = new JdbcEventDestinationStore(jdbc);
        EventDestination hook = new EventDestination(
                ACCOUNT,
                "transactional",
                "hook",
                true,
                EnumSet.of(EventType.BOUNCE, EventType.COMPLAINT),
                DestinationKind.WEBHOOK,
                "http://127.0.0.1:9000/events");
        destinations.insert(hook);
        assertThat(destinations.get(ACCOUNT, "transactional", "hook")).contains(hook);
        EventDestination disabled = new EventDestination(
                ACCOUNT, "transactional", "hook", false, Set.of(EventType.SEND), DestinationKind.FILE, "events.jsonl");
        destinations.update(disabled);
        assertThat(destinations.ofSet(ACCOUNT, "transactional")).containsExactly(disabled);

        // deleting a set takes its event destinations with it
        sets.delete(ACCOUNT, "transactional");
        assertThat(sets.get(ACCOUNT, "transactional")).isEmpty();
        assertThat(destinations.ofSet(ACCOUNT, "transactional")).isEmpty();
    }

    @Test
    void tagsKeepTheirOrder() {
        JdbcTagStore tags = new JdbcTagStore(jdbc);
        tags.put(ACCOUNT, ResourceType.CONFIGURATION_SET, "bulk", List.of(new Tag("team", "a"), new Tag("cost", "1")));
        tags.put(ACCOUNT, ResourceType.CONFIGURATION_SET, "bulk", List.of(new Tag("team", "b"), new Tag("env", "")));
        assertThat(tags.list(ACCOUNT, ResourceType.CONFIGURATION_SET, "bulk"))
                .containsExactly(new Tag("team", "b"), new Tag("cost", "1"), new Tag("env", ""));
        tags.remove(ACCOUNT, ResourceType.CONFIGURATION_SET, "bulk", List.of("cost"));
        assertThat(tags.list(ACCOUNT, ResourceType.CONFIGURATION_SET, "bulk"))
                .containsExactly(new Tag("team", "b"), new Tag("env", ""));
        tags.removeAll(ACCOUNT, ResourceType.CONFIGURATION_SET, "bulk");
        assertThat(tags.list(ACCOUNT, ResourceType.CONFIGURATION_SET, "bulk")).isEmpty();
    }

    @Test
    void staticRoutes() {
        JdbcRouteStore routes = new JdbcRouteStore(jdbc);
        routes.put(new StaticRoute("example.com", "127.0.0.1", 2525));
        routes.put(new StaticRoute("example.com", "127.0.0.2", 2526));
        assertThat(routes.get("example.com")).contains(new StaticRoute("example.com", "127.0.0.2", 2526));
        assertThat(routes.all()).hasSize(1);
        assertThat(routes.delete("example.com")).isTrue();
        assertThat(routes.delete("example.com")).isFalse();
    }

    @Test
    void identitiesAndVerificationTokens() {
        JdbcIdentityStore store = new JdbcIdentityStore(jdbc);
        EmailIdentity domain = new EmailIdentity(
                ACCOUNT,
                "example.com",
                IdentityType.DOMAIN,
                T0,
                VerificationStatus.PENDING,
                false,
                DkimAttributes.none(T0),
                MailFromAttributes.NONE,
                true,
                Optional.of("bulk"));
        EmailIdentity address = new EmailIdentity(
                ACCOUNT,
                "sender@example.org",
                IdentityType.EMAIL_ADDRESS,
                T0,
                VerificationStatus.SUCCESS,
                true,
                DkimAttributes.none(T0),
                MailFromAttributes.NONE,
                false,
                Optional.empty());
        store.insert(domain);
        store.insert(address);
        assertThat(store.get(ACCOUNT, "example.com")).contains(domain);
        assertThat(store.ofAccount(ACCOUNT)).containsExactlyInAnyOrder(domain, address);
        assertThat(store.domains()).containsExactly(domain);
        EmailIdentity vouched = new EmailIdentity(
                ACCOUNT,
                "example.com",
                IdentityType.DOMAIN,
                T0,
                VerificationStatus.SUCCESS,
                true,
                DkimAttributes.none(T0),
                MailFromAttributes.NONE,
                false,
                Optional.empty());
        store.update(vouched);
        assertThat(store.get(ACCOUNT, "example.com")).contains(vouched);
        store.delete(ACCOUNT, "sender@example.org");
        assertThat(store.all()).containsExactly(vouched);

        JdbcVerificationTokenStore tokens = new JdbcVerificationTokenStore(jdbc);
        VerificationTokenStore.Entry entry = new VerificationTokenStore.Entry(
                "a".repeat(64), ACCOUNT, "sender@example.org", T0.plusSeconds(86_400), Optional.empty());
        tokens.insert(entry, T0);
        assertThat(tokens.byHash("a".repeat(64))).contains(entry);
        tokens.markUsed("a".repeat(64), T0.plusSeconds(5));
        assertThat(tokens.byHash("a".repeat(64)).orElseThrow().usedAt()).contains(T0.plusSeconds(5));
    }

    @Test
    void suppressionListPagesAndUpserts() {
        JdbcSuppressionStore store = new JdbcSuppressionStore(jdbc);
        for (int i = 0; i < 5; i++) {
            store.put(new SuppressedDestination(
                    ACCOUNT,
                    "user" + i + "@example.com",
                    i % 2 == 0 ? SuppressionReason.BOUNCE : SuppressionReason.COMPLAINT,
                    T0.plusSeconds(i),
                    Optional.of("msg-" + i),
                    Optional.empty()));
        }
        store.put(new SuppressedDestination(
                OTHER, "user0@example.com", SuppressionReason.BOUNCE, T0, Optional.empty(), Optional.empty()));
        // the same address again replaces its entry
        SuppressedDestination again = new SuppressedDestination(
                ACCOUNT,
                "user0@example.com",
                SuppressionReason.COMPLAINT,
                T0.plusSeconds(100),
                Optional.empty(),
                Optional.of("fb-1"));
        store.put(again);
        assertThat(store.get(ACCOUNT, "user0@example.com")).contains(again);

        List<SuppressedDestination> firstPage = store.list(
                ACCOUNT,
                EnumSet.allOf(SuppressionReason.class),
                Optional.empty(),
                Optional.empty(),
                Optional.empty(),
                2);
        assertThat(firstPage)
                .extracting(SuppressedDestination::emailAddress)
                .containsExactly("user0@example.com", "user1@example.com");
        assertThat(store.list(
                        ACCOUNT,
                        EnumSet.of(SuppressionReason.COMPLAINT),
                        Optional.of(T0.plusSeconds(1)),
                        Optional.of(T0.plusSeconds(50)),
                        Optional.of("user1@example.com"),
                        10))
                .extracting(SuppressedDestination::emailAddress)
                .containsExactly("user3@example.com");

        List<String> scanned = new ArrayList<>();
        store.scan((account, address, reason) -> scanned.add(account + " " + address + " " + reason));
        assertThat(scanned).hasSize(6).contains(OTHER + " user0@example.com BOUNCE");

        assertThat(store.delete(ACCOUNT, "user4@example.com")).isTrue();
        assertThat(store.delete(ACCOUNT, "user4@example.com")).isFalse();

        assertThat(store.accountReasons(ACCOUNT)).isEmpty();
        store.putAccountReasons(ACCOUNT, EnumSet.of(SuppressionReason.BOUNCE));
        store.putAccountReasons(ACCOUNT, EnumSet.allOf(SuppressionReason.class));
        assertThat(store.accountReasons(ACCOUNT)).contains(EnumSet.allOf(SuppressionReason.class));

        ImportJob job = new ImportJob(
                ACCOUNT,
                "6f1c6c1e-0000-4000-8000-000000000001",
                ImportJob.Action.PUT,
                "file:///tmp/list.csv",
                ImportJob.Format.CSV,
                ImportJob.Status.CREATED,
                T0,
                Optional.empty(),
                0,
                0,
                Optional.empty());
        store.insertJob(job, "node-a");
        assertThat(store.unfinishedJobs()).containsExactly(new SuppressionStore.RunningJob(job, "node-a"));
        assertThat(store.takeOver(job.jobId(), "node-b", "node-c"))
                .as("not run by node-b")
                .isFalse();
        assertThat(store.takeOver(job.jobId(), "node-a", "node-b")).isTrue();
        assertThat(store.takeOver(job.jobId(), "node-a", "node-c"))
                .as("node-b took it first")
                .isFalse();
        assertThat(store.unfinishedJobs()).containsExactly(new SuppressionStore.RunningJob(job, "node-b"));
        ImportJob done = new ImportJob(
                ACCOUNT,
                job.jobId(),
                ImportJob.Action.PUT,
                job.source(),
                ImportJob.Format.CSV,
                ImportJob.Status.COMPLETED,
                T0,
                Optional.of(T0.plusSeconds(3)),
                10,
                1,
                Optional.of("line 4: not an address"));
        store.updateJob(done);
        assertThat(store.job(ACCOUNT, job.jobId())).contains(done);
        assertThat(store.jobs(ACCOUNT)).containsExactly(done);
        assertThat(store.unfinishedJobs()).isEmpty();
        assertThat(store.takeOver(job.jobId(), "node-b", "node-c"))
                .as("finished")
                .isFalse();
    }

    @Test
    void templatesPageByName() {
        JdbcTemplateStore store = new JdbcTemplateStore(jdbc);
        String large = "x".repeat(400_000);
        for (String name : List.of("welcome", "receipt", "Reset")) {
            store.insert(new EmailTemplate(ACCOUNT, name, TemplateContent.of("Hi {{name}}", large, null), T0, 1));
        }
        assertThat(store.count(ACCOUNT)).isEqualTo(3);
        assertThat(store.get(ACCOUNT, "welcome").orElseThrow().content().text()).contains(large);
        store.update(new EmailTemplate(ACCOUNT, "welcome", TemplateContent.of("Hello", null, "<p>x</p>"), T0, 2));
        assertThat(store.version(ACCOUNT, "welcome")).isEqualTo(OptionalLong.of(2));
        assertThat(store.get(ACCOUNT, "welcome").orElseThrow().content())
                .isEqualTo(TemplateContent.of("Hello", null, "<p>x</p>"));
        List<TemplateSummary> page = store.list(ACCOUNT, Optional.empty(), 2);
        assertThat(page).hasSize(2);
        List<TemplateSummary> rest =
                store.list(ACCOUNT, Optional.of(page.getLast().name()), 2);
        List<String> all = new ArrayList<>();
        page.forEach(t -> all.add(t.name()));
        rest.forEach(t -> all.add(t.name()));
        assertThat(all).containsExactlyInAnyOrder("welcome", "receipt", "Reset");
        store.delete(ACCOUNT, "welcome");
        assertThat(store.version(ACCOUNT, "welcome")).isEmpty();
    }

    @Test
    void sendCountsVolumesAndProviderWarmup() {
        jdbc.update(
                "INSERT INTO node_account_sends (node, account_id, bucket_start_ms, sent, updated_ms)"
                        + " VALUES ('', ?, ?, ?, 0)",
                ACCOUNT,
                500L,
                2L);
        JdbcSendCountStore counts = new JdbcSendCountStore(jdbc, "node-a"); // adopts the row without a node
        JdbcSendCountStore other = new JdbcSendCountStore(jdbc, "node-b");
        JdbcSendCountStore third = new JdbcSendCountStore(jdbc, "node-c");
        counts.putAll(List.of(new BucketCount(ACCOUNT, 1_000, 5), new BucketCount(ACCOUNT, 2_000, 7)), 10);
        counts.putAll(List.of(new BucketCount(ACCOUNT, 2_000, 9)), 20);
        other.putAll(List.of(new BucketCount(ACCOUNT, 2_000, 4)), 30);
        third.putAll(List.of(new BucketCount(ACCOUNT, 2_000, 1)), 40);
        assertThat(counts.since(1_500)).containsExactly(new BucketCount(ACCOUNT, 2_000, 9));
        assertThat(counts.since(0)).hasSize(3);
        assertThat(counts.othersSince(0))
                .containsExactlyInAnyOrder(
                        new NodeCount("node-b", new BucketCount(ACCOUNT, 2_000, 4)),
                        new NodeCount("node-c", new BucketCount(ACCOUNT, 2_000, 1)));
        assertThat(third.othersChangedSince(20))
                .containsExactlyInAnyOrder(
                        new NodeCount("node-a", new BucketCount(ACCOUNT, 2_000, 9)),
                        new NodeCount("node-b", new BucketCount(ACCOUNT, 2_000, 4)));
        assertThat(third.othersChangedSince(0)).hasSize(4); // with node-a's 1_000 bucket and the adopted one
        counts.deleteBefore(2_000);
        assertThat(counts.since(0)).containsExactly(new BucketCount(ACCOUNT, 2_000, 9));
        assertThat(counts.othersSince(0)).hasSize(2);

        JdbcVolumeStore volume = new JdbcVolumeStore(jdbc);
        volume.put("127.0.0.10", T0, 40);
        volume.put("127.0.0.10", T0, 41);
        assertThat(volume.get("127.0.0.10", T0)).isEqualTo(41);
        assertThat(volume.get("127.0.0.11", T0)).isZero();
        volume.deleteBefore(T0.plusSeconds(1));
        assertThat(volume.get("127.0.0.10", T0)).isZero();

        JdbcProviderWarmupStore warmup = new JdbcProviderWarmupStore(jdbc);
        warmup.put("127.0.0.10", "gmail", new ProviderLevel(3, 20_000, 120, 19_999));
        warmup.put("127.0.0.10", "gmail", new ProviderLevel(4, 20_001, 5, 20_000));
        warmup.put("127.0.0.10", "yahoo", new ProviderLevel(1, 20_001, 0, ProviderLevel.NEVER));
        assertThat(warmup.get("127.0.0.10", "gmail")).contains(new ProviderLevel(4, 20_001, 5, 20_000));
        assertThat(warmup.providersOf("127.0.0.10")).containsExactlyInAnyOrder("gmail", "yahoo");

        JdbcDailyVolumeStore daily = new JdbcDailyVolumeStore(jdbc);
        daily.add(List.of(new DailyVolume(20_000, ACCOUNT, "bulk", "marketing", "127.0.0.10", "gmail", 10, 1, 0)));
        daily.add(List.of(new DailyVolume(20_000, ACCOUNT, "bulk", "marketing", "127.0.0.10", "gmail", 5, 0, 1)));
        assertThat(daily.since(20_000))
                .containsExactly(
                        new DailyVolume(20_000, ACCOUNT, "bulk", "marketing", "127.0.0.10", "gmail", 15, 1, 1));
        daily.deleteBefore(20_001);
        assertThat(daily.since(0)).isEmpty();
    }

    @Test
    void reputationCountersAndEnforcement() {
        MutableClock clock = new MutableClock(T0);
        JdbcReputationStore store = new JdbcReputationStore(jdbc, "node-a", clock);
        JdbcReputationStore other = new JdbcReputationStore(jdbc, "node-b", clock);
        CounterKey key = new CounterKey(ACCOUNT, "bulk", "marketing", "127.0.0.10", "gmail", "example.com");
        store.saveCounters(List.of(new CounterRow(Granularity.HOUR, T0, key, new Counts(10, 9, 1, 0, 0, 0, 0))));
        store.saveCounters(List.of(new CounterRow(Granularity.HOUR, T0, key, new Counts(20, 18, 1, 1, 0, 1, 0))));
        store.saveCounters(List.of(new CounterRow(Granularity.DAY, T0, key, new Counts(20, 18, 1, 1, 0, 1, 0))));
        assertThat(store.counters(Granularity.HOUR, T0))
                .containsExactly(new CounterRow(Granularity.HOUR, T0, key, new Counts(20, 18, 1, 1, 0, 1, 0)));
        clock.advance(Duration.ofSeconds(5));
        other.saveCounters(List.of(new CounterRow(Granularity.HOUR, T0, key, new Counts(3, 3, 0, 0, 0, 0, 0))));
        assertThat(store.counters(Granularity.HOUR, T0)).hasSize(1); // its own cell only
        assertThat(store.othersCounters(Granularity.HOUR, T0))
                .containsExactly(new ReputationStore.NodeRow(
                        "node-b", new CounterRow(Granularity.HOUR, T0, key, new Counts(3, 3, 0, 0, 0, 0, 0))));
        assertThat(store.othersChangedSince(T0.plusSeconds(5))).hasSize(1);
        assertThat(store.othersChangedSince(T0.plusSeconds(6))).isEmpty();
        assertThat(other.othersChangedSince(T0)).hasSize(2); // node-a's hour and day
        store.deleteCountersBefore(Granularity.HOUR, T0.plusSeconds(1));
        assertThat(store.counters(Granularity.HOUR, Instant.EPOCH)).isEmpty();
        assertThat(store.counters(Granularity.DAY, Instant.EPOCH)).hasSize(1);

        Scope scope = Scope.account(ACCOUNT);
        store.saveEnforcement(new EnforcementRecord(scope, Optional.of(T0), "bounce rate 12%", Optional.empty()));
        EnforcementRecord lifted = new EnforcementRecord(scope, Optional.empty(), "", Optional.of(T0.plusSeconds(60)));
        store.saveEnforcement(lifted);
        assertThat(store.enforcement()).containsExactly(lifted);
    }

    @Test
    void sentMessageLedger() {
        JdbcSentMessageStore store = new JdbcSentMessageStore(jdbc);
        Map<String, String> recipients = new LinkedHashMap<>();
        recipients.put("b@example.net", "127.0.0.10");
        recipients.put("a@example.net", "127.0.0.11");
        MailHeaders headers =
                MailHeaders.of("From: sender@example.com\r\nTo: b@example.net\r\nSubject: Grüße\r\n\r\nbody\r\n"
                        .getBytes(StandardCharsets.UTF_8));
        SentMessage message = new SentMessage(
                "0100-msg-1",
                ACCOUNT,
                Optional.of("bulk"),
                "marketing",
                "sender@example.com",
                T0,
                Map.of("campaign", List.of("spring")),
                "127.0.0.10",
                headers,
                recipients,
                T0.plusSeconds(2));
        store.saveAll(List.of(message));
        store.saveAll(List.of(message)); // saved twice (a retried batch): still one
        assertThat(store.count()).isEqualTo(1);
        SentMessage found = store.find("0100-msg-1").orElseThrow();
        assertThat(found.recipientIps()).containsExactlyEntriesOf(recipients);
        assertThat(found.tags()).isEqualTo(message.tags());
        assertThat(found.headers()).isEqualTo(headers);
        assertThat(found.configurationSet()).contains("bulk");
        assertThat(store.deleteRecordedBefore(T0.plusSeconds(3))).isGreaterThanOrEqualTo(1);
        assertThat(store.find("0100-msg-1")).isEmpty();
    }

    @Test
    void sentMessageLedgerStoresABatchOfManyShapes() {
        JdbcSentMessageStore store = new JdbcSentMessageStore(jdbc);
        // a summary above the embedded database's in-row limit for text (64 KB) next to small ones
        String longSubject = "x".repeat(70_000);
        MailHeaders large = MailHeaders.of(("From: s@example.com\r\nSubject: " + longSubject + "\r\n\r\nbody\r\n")
                .getBytes(StandardCharsets.UTF_8));
        MailHeaders small = MailHeaders.of("From: s@example.com\r\n\r\nbody\r\n".getBytes(StandardCharsets.UTF_8));
        List<SentMessage> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Map<String, String> recipients = new LinkedHashMap<>();
            for (int r = 0; r < i; r++) {
                recipients.put("r" + r + "@example.net", "127.0.0." + (10 + r));
            }
            batch.add(new SentMessage(
                    "0100-batch-" + i,
                    ACCOUNT,
                    i % 2 == 0 ? Optional.empty() : Optional.of("bulk"),
                    "marketing",
                    "s@example.com",
                    T0,
                    Map.of("n", List.of(Integer.toString(i))),
                    "127.0.0.10",
                    i == 3 ? large : small,
                    recipients,
                    T0.plusSeconds(i)));
        }
        store.saveAll(batch);
        assertThat(store.count()).isEqualTo(5);
        for (SentMessage m : batch) {
            SentMessage found = store.find(m.messageId()).orElseThrow();
            assertThat(found.recipientIps()).containsExactlyEntriesOf(m.recipientIps());
            assertThat(found.headers()).isEqualTo(m.headers());
            assertThat(found.tags()).isEqualTo(m.tags());
            assertThat(found.configurationSet()).isEqualTo(m.configurationSet());
        }
        assertThat(store.find("0100-batch-3").orElseThrow().headers().common().subject())
                .contains(longSubject);
    }

    @Test
    void aFailedTransactionLeavesNothing() {
        JdbcPoolStore pools = new JdbcPoolStore(jdbc);
        assertThatThrownBy(() -> jdbc.run(() -> {
                    pools.insert(new DedicatedIpPool(ACCOUNT, "kept-out", ScalingMode.STANDARD, T0));
                    throw new IllegalStateException("abandon");
                }))
                .isInstanceOf(IllegalStateException.class);
        assertThat(pools.get(ACCOUNT, "kept-out")).isEmpty();
    }
}
