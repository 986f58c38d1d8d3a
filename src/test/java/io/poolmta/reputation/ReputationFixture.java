package io.poolmta.reputation;

import io.poolmta.account.AccountService;
import io.poolmta.configset.ConfigurationSetService;
import io.poolmta.configset.DeliveryOptions;
import io.poolmta.configset.NewConfigurationSet;
import io.poolmta.configset.ReputationOptions;
import io.poolmta.events.EventType;
import io.poolmta.events.MailEvent;
import io.poolmta.message.Envelope;
import io.poolmta.message.MailHeaders;
import io.poolmta.message.TlsPolicy;
import io.poolmta.pool.PoolNames;
import io.poolmta.provider.ProviderTable;
import io.poolmta.store.Database;
import io.poolmta.store.JdbcAccountStore;
import io.poolmta.store.JdbcConfigurationSetStore;
import io.poolmta.store.JdbcPoolStore;
import io.poolmta.store.JdbcReputationStore;
import io.poolmta.store.JdbcTagStore;
import io.poolmta.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters and enforcement on a real database in a directory, with a clock the test moves, and
 * events made by hand: what the delivery engine and the feedback listener would publish.
 */
final class ReputationFixture implements AutoCloseable {
    final Path dir;
    final MutableClock clock;
    final ReputationPolicy policy;
    Database db;
    AccountService accounts;
    ConfigurationSetService sets;
    JdbcReputationStore store;
    ReputationCounters counters;
    Enforcement enforcement;
    private final AtomicLong ids = new AtomicLong();

    ReputationFixture(Path dir, MutableClock clock, ReputationPolicy policy) {
        this.dir = dir;
        this.clock = clock;
        this.policy = policy;
        open();
    }

    /** Opens (or reopens, after {@link #close}) the database and builds the services from it. */
    void open() {
        db = Database.openEmbedded(dir);
        accounts = new AccountService(new JdbcAccountStore(db.jdbc()), db.jdbc(), clock);
        sets = new ConfigurationSetService(
                new JdbcConfigurationSetStore(db.jdbc()),
                new JdbcPoolStore(db.jdbc()),
                new JdbcTagStore(db.jdbc()),
                db.jdbc(),
                clock);
        store = new JdbcReputationStore(db.jdbc(), "test-node", clock);
        counters = new ReputationCounters(
                ProviderTable.defaults(),
                store,
                clock,
                ReputationCounters.DEFAULT_HOURLY_RETENTION,
                ReputationCounters.DEFAULT_DAILY_RETENTION,
                false);
        counters.load();
        enforcement = new Enforcement(counters, store, sets, policy, clock);
    }

    String account(String name) {
        return accounts.create(name).account().id();
    }

    void createSet(String accountId, String name, boolean reputationMetrics) {
        sets.create(
                accountId,
                new NewConfigurationSet(
                        name,
                        DeliveryOptions.DEFAULT,
                        true,
                        new ReputationOptions(reputationMetrics, Optional.empty()),
                        Map.of(),
                        List.of()));
    }

    /** {@code n} one-recipient messages accepted for the pool, through the set when given. */
    void send(String accountId, Optional<String> set, String pool, int n) {
        for (int i = 0; i < n; i++) {
            publish(
                    EventType.SEND,
                    accountId,
                    set,
                    pool,
                    Optional.empty(),
                    "user" + i + "@example.com",
                    new MailEvent.Send());
        }
    }

    void send(String accountId, int n) {
        send(accountId, Optional.empty(), PoolNames.DEFAULT_POOL, n);
    }

    void deliver(String accountId, Optional<String> set, String pool, String ip, String recipient, int n) {
        for (int i = 0; i < n; i++) {
            publish(EventType.DELIVERY, accountId, set, pool, Optional.of(ip), recipient, new MailEvent.Delivery(10));
        }
    }

    void bounce(String accountId, Optional<String> set, String pool, int n) {
        for (int i = 0; i < n; i++) {
            publish(
                    EventType.BOUNCE,
                    accountId,
                    set,
                    pool,
                    Optional.of("127.0.0.2"),
                    "gone" + i + "@example.com",
                    new MailEvent.Bounce("Permanent", "General"));
        }
    }

    void bounce(String accountId, int n) {
        bounce(accountId, Optional.empty(), PoolNames.DEFAULT_POOL, n);
    }

    void complain(String accountId, int n) {
        for (int i = 0; i < n; i++) {
            publish(
                    EventType.COMPLAINT,
                    accountId,
                    Optional.empty(),
                    PoolNames.DEFAULT_POOL,
                    Optional.of("127.0.0.2"),
                    "angry" + i + "@gmail.com",
                    new MailEvent.Reject("complaint"));
        }
    }

    void publish(
            EventType type,
            String accountId,
            Optional<String> set,
            String pool,
            Optional<String> ip,
            String recipient,
            MailEvent.Detail detail) {
        Instant now = clock.instant();
        Envelope envelope = new Envelope(
                "m" + ids.incrementAndGet(),
                accountId,
                set,
                pool,
                "bounces@brand.test",
                List.of(recipient),
                now,
                now.plusSeconds(3600),
                TlsPolicy.OPTIONAL,
                Map.of(),
                "127.0.0.1");
        MailEvent event = new MailEvent(
                type,
                now,
                envelope,
                List.of(recipient),
                ip,
                pool,
                Optional.empty(),
                Optional.empty(),
                detail,
                MailHeaders.of("From: News <news@Brand.test>\r\nSubject: hi\r\n\r\nbody\r\n"
                        .getBytes(StandardCharsets.US_ASCII)));
        counters.observe(event);
        enforcement.observe(event);
    }

    EnforcementStatus status(Scope scope) {
        return enforcement.status(scope);
    }

    @Override
    public void close() {
        counters.flush();
        db.close();
    }
}
