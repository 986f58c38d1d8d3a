package io.poolmta.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.account.AccountService;
import io.poolmta.store.Database;
import io.poolmta.store.JdbcAccountStore;
import io.poolmta.store.JdbcIdentityStore;
import io.poolmta.store.JdbcTagStore;
import io.poolmta.testing.LoopbackDnsServer;
import io.poolmta.testing.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A custom MAIL FROM domain's status follows its MX (at the operator's feedback host) and SPF
 * records in a DNS server on loopback, by SES's rules; and a DKIM key rotation publishes the next
 * key beside the current one and switches once its record is found. No sleeps.
 */
class MailFromVerificationTest {
    static final String FEEDBACK_HOST = "feedback.mta.example.net";

    @TempDir
    Path dir;

    Database db;
    LoopbackDnsServer dns;
    MutableClock clock;
    IdentityService identities;
    JdbcIdentityStore store;
    FileDkimKeyStore keys;
    DkimSigners signers;
    MailFromVerification mailFrom;
    DkimVerification dkim;
    String account;

    @BeforeEach
    void setUp() throws Exception {
        db = Database.openEmbedded(dir);
        dns = LoopbackDnsServer.start();
        clock = MutableClock.startingNow();
        store = new JdbcIdentityStore(db.jdbc());
        keys = new FileDkimKeyStore(dir.resolve("dkim"));
        signers = new DkimSigners(store, keys, clock);
        identities = new IdentityService(
                store, keys, signers, new JdbcTagStore(db.jdbc()), (a, s) -> false, db.jdbc(), clock);
        DnsTxtLookup lookup = new DnsTxtLookup(Optional.of(dns.address()));
        mailFrom = new MailFromVerification(store, lookup, FEEDBACK_HOST + ".", db.jdbc());
        dkim = new DkimVerification(store, lookup, db.jdbc(), keys, signers);
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

    private void create(String name) {
        identities.create(account, new NewIdentity(name, List.of(), Optional.empty(), Optional.empty()));
    }

    private MailFromAttributes mailFromOf(String name) {
        return identities.get(account, name).mailFrom();
    }

    private void publishDkim(String domain) {
        for (DnsRecord r : identities.dnsRecords(identities.get(account, domain))) {
            dns.remove(r.name());
            dns.txt(r.name(), r.value());
        }
    }

    @Test
    void mxAndSpfVerifyThenDisappearAndComeBack() {
        create("example.com");
        identities.putMailFrom(
                account, "example.com", Optional.of("bounce.example.com"), BehaviorOnMxFailure.REJECT_MESSAGE);
        assertThat(mailFromOf("example.com").status()).isEqualTo(VerificationStatus.PENDING);
        assertThat(mailFrom.checkDue(clock.instant())).isEmpty();
        assertThat(mailFromOf("example.com").info().error()).contains(VerificationError.HOST_NOT_FOUND);

        // an MX elsewhere is not enough, nor an MX without SPF
        dns.mx("bounce.example.com", 10, "mx.elsewhere.example");
        clock.advance(DkimVerification.WAITING_INTERVAL);
        mailFrom.checkDue(clock.instant());
        assertThat(mailFromOf("example.com").info().error()).contains(VerificationError.INVALID_VALUE);
        dns.remove("bounce.example.com").mx("bounce.example.com", 10, FEEDBACK_HOST.toUpperCase());
        clock.advance(DkimVerification.WAITING_INTERVAL);
        mailFrom.checkDue(clock.instant());
        assertThat(mailFromOf("example.com").status()).isEqualTo(VerificationStatus.PENDING);
        assertThat(mailFromOf("example.com").info().error()).contains(VerificationError.TYPE_NOT_FOUND);

        dns.txt("bounce.example.com", "v=spf1 ip4:127.0.0.11 ~all");
        clock.advance(DkimVerification.WAITING_INTERVAL);
        assertThat(mailFrom.checkDue(clock.instant()))
                .containsExactly(new MailFromVerification.Change(
                        account,
                        "example.com",
                        "bounce.example.com",
                        VerificationStatus.PENDING,
                        VerificationStatus.SUCCESS));
        assertThat(mailFromOf("example.com").behaviorOnMxFailure()).isEqualTo(BehaviorOnMxFailure.REJECT_MESSAGE);

        dns.remove("bounce.example.com")
                .mx("bounce.example.com", 10, FEEDBACK_HOST)
                .txt("bounce.example.com", "v=spf1 -all");
        clock.advance(DkimVerification.WAITING_INTERVAL);
        assertThat(mailFrom.checkDue(clock.instant())).isEmpty(); // verified: looked up hourly
        clock.advance(DkimVerification.VERIFIED_INTERVAL);
        assertThat(mailFrom.checkDue(clock.instant())).isEmpty(); // MX and SPF still there
        dns.remove("bounce.example.com");
        clock.advance(DkimVerification.VERIFIED_INTERVAL);
        assertThat(mailFrom.checkDue(clock.instant()))
                .extracting(MailFromVerification.Change::to)
                .containsExactly(VerificationStatus.TEMPORARY_FAILURE);

        dns.mx("bounce.example.com", 10, FEEDBACK_HOST).txt("bounce.example.com", "v=spf1 mx ~all");
        clock.advance(DkimVerification.WAITING_INTERVAL);
        assertThat(mailFrom.checkDue(clock.instant()))
                .extracting(MailFromVerification.Change::to)
                .containsExactly(VerificationStatus.SUCCESS);

        // the same domain again keeps its status; another starts PENDING
        identities.putMailFrom(
                account, "example.com", Optional.of("bounce.example.com"), BehaviorOnMxFailure.USE_DEFAULT_VALUE);
        assertThat(mailFromOf("example.com").status()).isEqualTo(VerificationStatus.SUCCESS);
        identities.putMailFrom(
                account, "example.com", Optional.of("mail.example.com"), BehaviorOnMxFailure.USE_DEFAULT_VALUE);
        assertThat(mailFromOf("example.com").status()).isEqualTo(VerificationStatus.PENDING);
    }

    @Test
    void neverPublishedFailsAfter72HoursAndAddressesAreCheckedToo() {
        create("alice@late.example.com");
        identities.putMailFrom(
                account,
                "alice@late.example.com",
                Optional.of("mf.late.example.com"),
                BehaviorOnMxFailure.USE_DEFAULT_VALUE);
        clock.advance(Duration.ofHours(71));
        mailFrom.checkDue(clock.instant());
        assertThat(mailFromOf("alice@late.example.com").status()).isEqualTo(VerificationStatus.PENDING);
        clock.advance(Duration.ofHours(1));
        assertThat(mailFrom.checkDue(clock.instant()))
                .extracting(MailFromVerification.Change::to)
                .containsExactly(VerificationStatus.FAILED);
        int before = dns.queries();
        clock.advance(Duration.ofDays(1));
        assertThat(mailFrom.checkDue(clock.instant())).isEmpty();
        assertThat(dns.queries()).isEqualTo(before);
    }

    @Test
    void rotationPublishesTheNextKeyBesideTheCurrentAndSwitchesWhenFound() throws Exception {
        create("rotate.example.com");
        publishDkim("rotate.example.com");
        dkim.checkDue(clock.instant());
        EmailIdentity verified = identities.get(account, "rotate.example.com");
        String oldSelector = verified.dkim().selector().orElseThrow();
        assertThat(signers.forDomain(account, "rotate.example.com")
                        .orElseThrow()
                        .selector())
                .isEqualTo(oldSelector);

        EmailIdentity rotating = identities.putDkimSigningAttributes(
                account,
                "rotate.example.com",
                SigningOrigin.AWS_SES,
                Optional.of(new SigningInput(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(DkimKeyLength.RSA_1024_BIT))));
        KeyRotation next = rotating.dkim().rotation().orElseThrow();
        assertThat(next.key().selector()).isNotEqualTo(oldSelector);
        assertThat(next.key().length()).isEqualTo(DkimKeyLength.RSA_1024_BIT);
        assertThat(rotating.dkim().status()).isEqualTo(VerificationStatus.SUCCESS);
        assertThat(rotating.dkim().currentKeyLength()).contains(DkimKeyLength.RSA_2048_BIT);
        assertThat(rotating.dkim().nextKeyLength()).isEqualTo(DkimKeyLength.RSA_1024_BIT);
        assertThat(identities.dnsRecords(rotating))
                .extracting(DnsRecord::name)
                .containsExactly(
                        oldSelector + "._domainkey.rotate.example.com",
                        next.key().selector() + "._domainkey.rotate.example.com");

        // not published yet: the old key keeps signing
        clock.advance(DkimVerification.WAITING_INTERVAL);
        dkim.checkDue(clock.instant());
        assertThat(signers.forDomain(account, "rotate.example.com")
                        .orElseThrow()
                        .selector())
                .isEqualTo(oldSelector);
        assertThat(identities.get(account, "rotate.example.com").dkim().rotation())
                .isPresent();

        publishDkim("rotate.example.com");
        clock.advance(DkimVerification.WAITING_INTERVAL);
        assertThat(dkim.checkDue(clock.instant())).isEmpty(); // status stays SUCCESS
        EmailIdentity switched = identities.get(account, "rotate.example.com");
        assertThat(switched.dkim().selector()).contains(next.key().selector());
        assertThat(switched.dkim().rotation()).isEmpty();
        assertThat(switched.dkim().currentKeyLength()).contains(DkimKeyLength.RSA_1024_BIT);
        assertThat(switched.dkim().lastKeyGeneration()).contains(next.made().truncatedTo(ChronoUnit.MILLIS));
        assertThat(switched.verifiedForSending()).isTrue();
        assertThat(signers.forDomain(account, "rotate.example.com")
                        .orElseThrow()
                        .selector())
                .isEqualTo(next.key().selector());
        Path keyDir = dir.resolve("dkim").resolve(account).resolve("rotate.example.com");
        assertThat(Files.exists(keyDir.resolve(oldSelector + ".pk8"))).isFalse();
        assertThat(Files.exists(keyDir.resolve(next.key().selector() + ".pk8"))).isTrue();
        assertThat(identities.dnsRecords(switched)).hasSize(1);

        // the old record may go now: nothing changes
        dns.remove(oldSelector + "._domainkey.rotate.example.com");
        clock.advance(DkimVerification.VERIFIED_INTERVAL);
        assertThat(dkim.checkDue(clock.instant())).isEmpty();
    }

    @Test
    void rotationSwitchesWhenTheOldRecordWasReplacedByTheNewOne() {
        create("swap.example.com");
        publishDkim("swap.example.com");
        dkim.checkDue(clock.instant());
        String oldSelector =
                identities.get(account, "swap.example.com").dkim().selector().orElseThrow();
        KeyRotation next = identities
                .putDkimSigningAttributes(
                        account,
                        "swap.example.com",
                        SigningOrigin.AWS_SES,
                        Optional.of(new SigningInput(
                                Optional.empty(),
                                Optional.empty(),
                                Optional.empty(),
                                Optional.of(DkimKeyLength.RSA_2048_BIT))))
                .dkim()
                .rotation()
                .orElseThrow();
        dns.remove(oldSelector + "._domainkey.swap.example.com");
        dns.txt(next.key().recordName("swap.example.com"), next.key().recordValue());
        clock.advance(DkimVerification.WAITING_INTERVAL);
        assertThat(dkim.checkDue(clock.instant())).isEmpty(); // SUCCESS throughout
        EmailIdentity switched = identities.get(account, "swap.example.com");
        assertThat(switched.dkim().selector()).contains(next.key().selector());
        assertThat(switched.dkim().status()).isEqualTo(VerificationStatus.SUCCESS);
    }

    @Test
    void aDomainNotVerifiedYetSimplyGetsTheNewKey() {
        create("fresh.example.com");
        String first =
                identities.get(account, "fresh.example.com").dkim().selector().orElseThrow();
        EmailIdentity rekeyed = identities.putDkimSigningAttributes(
                account,
                "fresh.example.com",
                SigningOrigin.AWS_SES,
                Optional.of(new SigningInput(
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.of(DkimKeyLength.RSA_1024_BIT))));
        assertThat(rekeyed.dkim().rotation()).isEmpty();
        assertThat(rekeyed.dkim().selector().orElseThrow()).isNotEqualTo(first);
        assertThat(rekeyed.dkim().currentKeyLength()).contains(DkimKeyLength.RSA_1024_BIT);
        assertThat(rekeyed.dkim().status()).isEqualTo(VerificationStatus.PENDING);
    }
}
