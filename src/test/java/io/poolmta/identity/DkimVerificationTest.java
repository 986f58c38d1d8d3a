package io.poolmta.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.account.AccountService;
import io.poolmta.store.Database;
import io.poolmta.store.JdbcAccountStore;
import io.poolmta.store.JdbcIdentityStore;
import io.poolmta.store.JdbcTagStore;
import io.poolmta.testing.LoopbackDnsServer;
import io.poolmta.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A domain's DKIM status follows its record in a real DNS server on loopback, looked up with
 * dnsjava: PENDING → SUCCESS when published, TEMPORARY_FAILURE when it disappears, SUCCESS when
 * it is back, FAILED after 72 hours without it. No sleeps: each pass runs at the test clock's time.
 */
class DkimVerificationTest {
    @TempDir
    Path dir;

    Database db;
    LoopbackDnsServer dns;
    MutableClock clock;
    IdentityService identities;
    JdbcIdentityStore store;
    DkimVerification verification;
    String account;

    @BeforeEach
    void setUp() throws Exception {
        db = Database.openEmbedded(dir);
        dns = LoopbackDnsServer.start();
        clock = MutableClock.startingNow();
        store = new JdbcIdentityStore(db.jdbc());
        FileDkimKeyStore keys = new FileDkimKeyStore(dir.resolve("dkim"));
        identities = new IdentityService(
                store,
                keys,
                new DkimSigners(store, keys, clock),
                new JdbcTagStore(db.jdbc()),
                (a, s) -> false,
                db.jdbc(),
                clock);
        verification = new DkimVerification(store, new DnsTxtLookup(Optional.of(dns.address())), db.jdbc());
        account = new AccountService(new JdbcAccountStore(db.jdbc()), db.jdbc(), clock)
                .create("acme")
                .account()
                .id();
    }

    @AfterEach
    void tearDown() {
        dns.close();
        db.close();
    }

    private EmailIdentity create(String domain) {
        return identities.create(account, new NewIdentity(domain, List.of(), Optional.empty(), Optional.empty()));
    }

    private void publish(EmailIdentity identity) {
        DkimKey key = identity.dkim().key().orElseThrow();
        dns.txt(key.recordName(identity.name()), key.recordValue());
    }

    private VerificationStatus status(String domain) {
        return identities.get(account, domain).dkim().status();
    }

    @Test
    void publishedRecordVerifiesThenDisappearsAndComesBack() {
        EmailIdentity example = create("example.com");
        assertThat(verification.checkDue(clock.instant())).isEmpty();
        assertThat(status("example.com")).isEqualTo(VerificationStatus.PENDING);
        assertThat(identities.get(account, "example.com").dkim().info().error())
                .contains(VerificationError.HOST_NOT_FOUND);

        publish(example);
        assertThat(verification.checkDue(clock.instant())).isEmpty(); // checked a moment ago: not due yet
        clock.advance(DkimVerification.WAITING_INTERVAL);
        assertThat(verification.checkDue(clock.instant()))
                .containsExactly(new DkimVerification.Change(
                        account, "example.com", VerificationStatus.PENDING, VerificationStatus.SUCCESS));
        EmailIdentity verified = identities.get(account, "example.com");
        assertThat(verified.verifiedForSending()).isTrue();
        assertThat(verified.verifiedBy()).isEqualTo("DNS");

        dns.remove(example.dkim().key().orElseThrow().recordName("example.com"));
        clock.advance(DkimVerification.VERIFIED_INTERVAL);
        assertThat(verification.checkDue(clock.instant()))
                .extracting(DkimVerification.Change::to)
                .containsExactly(VerificationStatus.TEMPORARY_FAILURE);
        assertThat(identities.get(account, "example.com").verifiedForSending()).isFalse();

        publish(example);
        clock.advance(DkimVerification.WAITING_INTERVAL);
        assertThat(verification.checkDue(clock.instant()))
                .extracting(DkimVerification.Change::to)
                .containsExactly(VerificationStatus.SUCCESS);
    }

    @Test
    void recordNeverPublishedFailsAfter72Hours() {
        create("late.example.com");
        clock.advance(Duration.ofHours(71));
        verification.checkDue(clock.instant());
        assertThat(status("late.example.com")).isEqualTo(VerificationStatus.PENDING);
        clock.advance(Duration.ofHours(1));
        assertThat(verification.checkDue(clock.instant()))
                .extracting(DkimVerification.Change::to)
                .containsExactly(VerificationStatus.FAILED);
        clock.advance(Duration.ofHours(1));
        assertThat(verification.checkDue(clock.instant())).isEmpty();
        assertThat(status("late.example.com")).isEqualTo(VerificationStatus.FAILED);
    }

    @Test
    void recordWithAnotherKeyIsInvalidValue() {
        EmailIdentity identity = create("wrong.example.com");
        DkimKey key = identity.dkim().key().orElseThrow();
        dns.txt(
                key.recordName("wrong.example.com"),
                "v=DKIM1; k=rsa; p="
                        + DkimKeys.generate(DkimKeyLength.RSA_1024_BIT).key().publicKeyBase64());
        verification.checkDue(clock.instant());
        assertThat(identities.get(account, "wrong.example.com").dkim().info().error())
                .contains(VerificationError.INVALID_VALUE);
        assertThat(status("wrong.example.com")).isEqualTo(VerificationStatus.PENDING);
    }

    @Test
    void vouchedDomainIsVerifiedWithoutDnsAndNotChecked() {
        create("internal.example.com");
        EmailIdentity vouched = identities.vouch(account, "internal.example.com");
        assertThat(vouched.verifiedBy()).isEqualTo("OPERATOR");
        assertThat(vouched.dkim().status()).isEqualTo(VerificationStatus.SUCCESS);
        int before = dns.queries();
        clock.advance(Duration.ofDays(5));
        assertThat(verification.checkDue(clock.instant())).isEmpty();
        assertThat(dns.queries()).isEqualTo(before);
        assertThat(identities.get(account, "internal.example.com").verifiedForSending())
                .isTrue();
    }

    @Test
    void verifiedDomainGetsACachedSignerFromItsStoredKey() {
        EmailIdentity identity = create("signed.example.com");
        DkimSigners signers = new DkimSigners(store, new FileDkimKeyStore(dir.resolve("dkim")), clock);
        assertThat(signers.forDomain(account, "signed.example.com")).isEmpty(); // PENDING: no signing
        publish(identity);
        verification.checkDue(clock.instant());
        DkimSigner signer = signers.forDomain(account, "signed.example.com").orElseThrow();
        assertThat(signer.selector()).isEqualTo(identity.dkim().selector().orElseThrow());
        assertThat(signers.forDomain(account, "signed.example.com")).containsSame(signer);
        identities.putDkimSigningEnabled(account, "signed.example.com", false);
        assertThat(signers.forDomain(account, "signed.example.com")).isEmpty();
    }

    @Test
    void forgettingEverySignerBuildsEachAgainFromItsKey() {
        EmailIdentity identity = create("signed.example.com");
        DkimSigners signers = new DkimSigners(store, new FileDkimKeyStore(dir.resolve("dkim")), clock);
        publish(identity);
        verification.checkDue(clock.instant());
        DkimSigner kept = signers.forDomain(account, "signed.example.com").orElseThrow();

        signers.forgetAll(); // another node changed an identity

        DkimSigner rebuilt = signers.forDomain(account, "signed.example.com").orElseThrow();
        assertThat(rebuilt).isNotSameAs(kept);
        assertThat(rebuilt.selector()).isEqualTo(kept.selector());
    }
}
