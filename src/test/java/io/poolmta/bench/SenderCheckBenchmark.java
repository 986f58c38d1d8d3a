package io.poolmta.bench;

import io.poolmta.account.AccountService;
import io.poolmta.identity.DkimAttributes;
import io.poolmta.identity.DkimSigners;
import io.poolmta.identity.EmailIdentity;
import io.poolmta.identity.FileDkimKeyStore;
import io.poolmta.identity.IdentityType;
import io.poolmta.identity.MailFromAttributes;
import io.poolmta.identity.SenderIdentities;
import io.poolmta.identity.VerificationStatus;
import io.poolmta.sending.SenderRules;
import io.poolmta.store.Database;
import io.poolmta.store.JdbcAccountStore;
import io.poolmta.store.JdbcIdentityStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The From-identity check of one message, as acceptance runs it: 100 accounts with 10 verified
 * identities each (5 domains, 5 addresses) in the SQL identity store's in-memory view (H2 on a
 * temporary directory); a From covered by its exact address identity, one covered by a parent
 * domain two labels up, and the whole decision of {@link SenderRules} (default set, return path,
 * signer: none, signing is off here; the signature's own cost is DkimSigningBenchmark's).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class SenderCheckBenchmark {
    private Path dir;
    private Database db;
    private SenderIdentities identities;
    private SenderRules rules;
    private String account42;
    private final String exactAddress = "sender3@address-42.example";
    private final String parentAddress = "news@eu.mail.domain3-42.example";

    @Setup
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("sender-bench");
        db = Database.openEmbedded(dir);
        JdbcIdentityStore store = new JdbcIdentityStore(db.jdbc());
        Instant now = Instant.now();
        AccountService accounts = new AccountService(new JdbcAccountStore(db.jdbc()), db.jdbc(), Clock.systemUTC());
        for (int account = 0; account < 100; account++) {
            String id = accounts.create("acct" + account).account().id();
            if (account == 42) {
                account42 = id;
            }
            for (int i = 0; i < 5; i++) {
                store.insert(verified(id, "domain" + i + "-" + account + ".example", IdentityType.DOMAIN, now));
                store.insert(verified(
                        id, "sender" + i + "@address-" + account + ".example", IdentityType.EMAIL_ADDRESS, now));
            }
        }
        DkimSigners signers = new DkimSigners(store, new FileDkimKeyStore(dir.resolve("dkim")), Clock.systemUTC());
        identities = new SenderIdentities(store, signers);
        rules = new SenderRules(identities, "bounces.mta.example.com");
        if (!identities.verified(account42, exactAddress) || !identities.verified(account42, parentAddress)) {
            throw new IllegalStateException("benchmark identities are not found");
        }
    }

    private static EmailIdentity verified(String account, String name, IdentityType type, Instant now) {
        return new EmailIdentity(
                account,
                name,
                type,
                now,
                VerificationStatus.SUCCESS,
                true,
                DkimAttributes.none(now),
                MailFromAttributes.NONE,
                true,
                Optional.empty());
    }

    @TearDown
    public void tearDown() {
        db.close();
    }

    @Benchmark
    public boolean exactAddress() {
        return identities.verified(account42, exactAddress);
    }

    @Benchmark
    public boolean parentDomain() {
        return identities.verified(account42, parentAddress);
    }

    @Benchmark
    public SenderRules.Decision decide() {
        return rules.decide(account42, List.of(parentAddress));
    }
}
