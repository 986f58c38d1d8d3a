package io.poolmta.identity;

import static io.poolmta.testing.SesErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.server.HostPort;
import io.poolmta.store.Database;
import io.poolmta.testing.LoopbackDnsServer;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.SignedHttp;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.AlreadyExistsException;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.BehaviorOnMxFailure;
import software.amazon.awssdk.services.sesv2.model.CreateEmailIdentityResponse;
import software.amazon.awssdk.services.sesv2.model.DkimSigningAttributesOrigin;
import software.amazon.awssdk.services.sesv2.model.DkimSigningKeyLength;
import software.amazon.awssdk.services.sesv2.model.DkimStatus;
import software.amazon.awssdk.services.sesv2.model.GetEmailIdentityResponse;
import software.amazon.awssdk.services.sesv2.model.IdentityInfo;
import software.amazon.awssdk.services.sesv2.model.IdentityType;
import software.amazon.awssdk.services.sesv2.model.ListEmailIdentitiesResponse;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;
import software.amazon.awssdk.services.sesv2.model.PutEmailIdentityDkimSigningAttributesResponse;
import software.amazon.awssdk.services.sesv2.model.Tag;
import software.amazon.awssdk.services.sesv2.model.VerificationStatus;

/**
 * The email-identity operations through the AWS SDK for Java v2 against a running server: shapes
 * and errors as in the SES v2 model, accounts kept apart, keys never echoed, and a domain verified
 * by its record in a DNS server on loopback.
 */
class EmailIdentityApiTest {
    @TempDir
    static Path dir;

    static LoopbackDnsServer dns;
    static TestServer server;
    static TestAccount acme;
    static TestAccount other;
    static SesV2Client ses;
    static SesV2Client otherSes;

    @BeforeAll
    static void start() throws Exception {
        dns = LoopbackDnsServer.start();
        server = TestServer.startConfigured(
                dir.resolve("data"),
                MutableClock.startingNow(),
                config -> config.withDnsResolver(HostPort.parse(dns.hostPort())));
        acme = server.createAccountWithoutSenders("acme");
        other = server.createAccountWithoutSenders("other");
        ses = server.ses(acme);
        otherSes = server.ses(other);
    }

    @AfterAll
    static void stop() {
        server.close();
        dns.close();
    }

    static Tag tag(String k, String v) {
        return Tag.builder().key(k).value(v).build();
    }

    @Test
    void domainIdentityStartsPendingWithAGeneratedKeyAndTags() {
        CreateEmailIdentityResponse created =
                ses.createEmailIdentity(r -> r.emailIdentity("Example.COM").tags(tag("team", "mail")));
        assertThat(created.identityType()).isEqualTo(IdentityType.DOMAIN);
        assertThat(created.verifiedForSendingStatus()).isFalse();
        assertThat(created.dkimAttributes().status()).isEqualTo(DkimStatus.PENDING);
        assertThat(created.dkimAttributes().signingEnabled()).isTrue();
        assertThat(created.dkimAttributes().tokens()).hasSize(1).allMatch(t -> t.matches("[a-z0-9]{16}"));
        assertThat(created.dkimAttributes().signingAttributesOrigin()).isEqualTo(DkimSigningAttributesOrigin.AWS_SES);
        assertThat(created.dkimAttributes().currentSigningKeyLength()).isEqualTo(DkimSigningKeyLength.RSA_2048_BIT);
        assertThat(created.dkimAttributes().lastKeyGenerationTimestamp()).isNotNull();

        GetEmailIdentityResponse got = ses.getEmailIdentity(r -> r.emailIdentity("example.com"));
        assertThat(got.verificationStatus()).isEqualTo(VerificationStatus.PENDING);
        assertThat(got.feedbackForwardingStatus()).isTrue();
        assertThat(got.tags()).containsExactly(tag("team", "mail"));
        assertThat(got.dkimAttributes().tokens())
                .isEqualTo(created.dkimAttributes().tokens());
        assertThat(got.policies()).isEmpty();
        expectError(
                () -> ses.createEmailIdentity(r -> r.emailIdentity("example.com")), AlreadyExistsException.class, 400);
    }

    @Test
    void emailAddressIdentityHasNoKeyOfItsOwn() {
        CreateEmailIdentityResponse created =
                ses.createEmailIdentity(r -> r.emailIdentity("Alice.Smith+news@Mail.Example.org"));
        assertThat(created.identityType()).isEqualTo(IdentityType.EMAIL_ADDRESS);
        assertThat(created.dkimAttributes().status()).isEqualTo(DkimStatus.NOT_STARTED);
        assertThat(created.dkimAttributes().tokens()).isEmpty();
        GetEmailIdentityResponse got = ses.getEmailIdentity(r -> r.emailIdentity("Alice.Smith+news@mail.example.org"));
        assertThat(got.verificationStatus()).isEqualTo(VerificationStatus.PENDING);
        expectError(
                () -> ses.createEmailIdentity(r -> r.emailIdentity("bob@keyed.example.org")
                        .dkimSigningAttributes(a -> a.nextSigningKeyLength(DkimSigningKeyLength.RSA_1024_BIT))),
                BadRequestException.class,
                400);
    }

    @Test
    void rsa1024OnRequest() {
        CreateEmailIdentityResponse created = ses.createEmailIdentity(r -> r.emailIdentity("short.example.net")
                .dkimSigningAttributes(a -> a.nextSigningKeyLength(DkimSigningKeyLength.RSA_1024_BIT)));
        assertThat(created.dkimAttributes().currentSigningKeyLength()).isEqualTo(DkimSigningKeyLength.RSA_1024_BIT);
        assertThat(created.dkimAttributes().nextSigningKeyLength()).isEqualTo(DkimSigningKeyLength.RSA_1024_BIT);
    }

    @Test
    void listPagesInNameOrderAndShowsOnlyTheCallersIdentities() {
        TestAccount lister = server.createAccountWithoutSenders("lister");
        SesV2Client client = server.ses(lister);
        for (String name : List.of("c.example.com", "a@b.example.com", "b.example.com")) {
            client.createEmailIdentity(r -> r.emailIdentity(name));
        }
        ListEmailIdentitiesResponse first = client.listEmailIdentities(r -> r.pageSize(2));
        assertThat(first.emailIdentities())
                .extracting(IdentityInfo::identityName)
                .containsExactly("a@b.example.com", "b.example.com");
        assertThat(first.emailIdentities().getFirst().identityType()).isEqualTo(IdentityType.EMAIL_ADDRESS);
        assertThat(first.emailIdentities().getFirst().verificationStatus()).isEqualTo(VerificationStatus.PENDING);
        assertThat(first.emailIdentities().getFirst().sendingEnabled()).isFalse();
        ListEmailIdentitiesResponse second =
                client.listEmailIdentities(r -> r.pageSize(2).nextToken(first.nextToken()));
        assertThat(second.emailIdentities())
                .extracting(IdentityInfo::identityName)
                .containsExactly("c.example.com");
        assertThat(second.nextToken()).isNull();
        expectError(() -> client.listEmailIdentities(r -> r.nextToken("garbage!")), BadRequestException.class, 400);
        // the older GET form, with PageSize and NextToken in the query
        SignedHttp.Result get = SignedHttp.of(server, lister).get("/v2/email/identities?PageSize=1");
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.json().path("EmailIdentities")).hasSize(1);
        assertThat(get.json()
                        .path("EmailIdentities")
                        .get(0)
                        .path("IdentityName")
                        .asText())
                .isEqualTo("a@b.example.com");
        assertThat(get.json().path("NextToken").asText()).isNotEmpty();
        expectError(() -> client.listEmailIdentities(r -> r.pageSize(0)), BadRequestException.class, 400);
    }

    @Test
    void anotherAccountsIdentityIsNotFoundEverywhere() {
        ses.createEmailIdentity(r -> r.emailIdentity("private.example.com"));
        String arn = "arn:aws:ses:us-east-1:" + acme.accountId() + ":identity/private.example.com";
        expectError(
                () -> otherSes.getEmailIdentity(r -> r.emailIdentity("private.example.com")),
                NotFoundException.class,
                404);
        expectError(
                () -> otherSes.deleteEmailIdentity(r -> r.emailIdentity("private.example.com")),
                NotFoundException.class,
                404);
        expectError(
                () -> otherSes.putEmailIdentityDkimAttributes(
                        r -> r.emailIdentity("private.example.com").signingEnabled(false)),
                NotFoundException.class,
                404);
        expectError(
                () -> otherSes.putEmailIdentityFeedbackAttributes(r -> r.emailIdentity("private.example.com")),
                NotFoundException.class,
                404);
        expectError(() -> otherSes.listTagsForResource(r -> r.resourceArn(arn)), NotFoundException.class, 404);
        assertThat(otherSes.listEmailIdentities(r -> {}).emailIdentities())
                .extracting(IdentityInfo::identityName)
                .doesNotContain("private.example.com");
        // the other account may have its own identity of the same name
        otherSes.createEmailIdentity(r -> r.emailIdentity("private.example.com"));
        assertThat(ses.getEmailIdentity(r -> r.emailIdentity("private.example.com"))
                        .dkimAttributes()
                        .tokens())
                .isNotEqualTo(otherSes.getEmailIdentity(r -> r.emailIdentity("private.example.com"))
                        .dkimAttributes()
                        .tokens());
    }

    @Test
    void malformedNamesAreBadRequests() {
        for (String bad : List.of(
                "localhost",
                "not a domain",
                "a..b.com",
                "-bad.example.com",
                "bad-.example.com",
                "192.168.1.1",
                "@example.com",
                "alice@",
                "al..ice@example.com",
                "alice@@example.com",
                "Alice <alice@example.com>",
                "bücher.example",
                "x".repeat(64) + ".example.com",
                "a/b.example.com")) {
            expectError(() -> ses.createEmailIdentity(r -> r.emailIdentity(bad)), BadRequestException.class, 400);
        }
        expectError(() -> ses.getEmailIdentity(r -> r.emailIdentity("not..valid")), BadRequestException.class, 400);
    }

    @Test
    void deleteRemovesIdentityTagsAndKeys() throws Exception {
        ses.createEmailIdentity(r -> r.emailIdentity("gone.example.com").tags(tag("a", "1")));
        Path keys = server.dataDir().resolve("dkim").resolve(acme.accountId()).resolve("gone.example.com");
        if (server.database().isPresent()) { // on PostgreSQL the keys are sealed in the database
            assertThat(sealedKeys("gone.example.com")).hasSize(1);
        } else {
            assertThat(keys).isDirectory();
        }
        ses.deleteEmailIdentity(r -> r.emailIdentity("gone.example.com"));
        assertThat(keys).doesNotExist();
        if (server.database().isPresent()) {
            assertThat(sealedKeys("gone.example.com")).isEmpty();
        }
        expectError(() -> ses.getEmailIdentity(r -> r.emailIdentity("gone.example.com")), NotFoundException.class, 404);
        expectError(
                () -> ses.deleteEmailIdentity(r -> r.emailIdentity("gone.example.com")), NotFoundException.class, 404);
        ses.createEmailIdentity(r -> r.emailIdentity("gone.example.com"));
        assertThat(ses.getEmailIdentity(r -> r.emailIdentity("gone.example.com"))
                        .tags())
                .isEmpty();
    }

    @Test
    void externalKeyIsTakenAndNeverEchoed() throws Exception {
        ses.createEmailIdentity(r -> r.emailIdentity("byo.example.com"));
        var pair = KeyPairGenerator.getInstance("RSA");
        pair.initialize(2048);
        byte[] pkcs8 = pair.generateKeyPair().getPrivate().getEncoded();
        String der = Base64.getEncoder().encodeToString(pkcs8);
        PutEmailIdentityDkimSigningAttributesResponse put =
                ses.putEmailIdentityDkimSigningAttributes(r -> r.emailIdentity("byo.example.com")
                        .signingAttributesOrigin(DkimSigningAttributesOrigin.EXTERNAL)
                        .signingAttributes(
                                a -> a.domainSigningSelector("mail2026").domainSigningPrivateKey(der)));
        assertThat(put.dkimStatus()).isEqualTo(DkimStatus.PENDING);
        assertThat(put.dkimTokens()).containsExactly("mail2026");
        GetEmailIdentityResponse got = ses.getEmailIdentity(r -> r.emailIdentity("byo.example.com"));
        assertThat(got.dkimAttributes().signingAttributesOrigin()).isEqualTo(DkimSigningAttributesOrigin.EXTERNAL);
        assertThat(got.dkimAttributes().currentSigningKeyLength()).isEqualTo(DkimSigningKeyLength.RSA_2048_BIT);

        String keyBody = der.substring(100, 160); // any stretch of the key
        SignedHttp.Result raw = SignedHttp.of(server, acme).get("/v2/email/identities/byo.example.com");
        assertThat(raw.status()).isEqualTo(200);
        assertThat(raw.text()).doesNotContain(keyBody);
        JsonNode shown = server.admin().ok("GET", "/accounts/acme/identities/byo.example.com", null);
        assertThat(shown.toString()).doesNotContain(keyBody);
        assertThat(shown.path("DnsRecords").get(0).path("Name").asText())
                .isEqualTo("mail2026._domainkey.byo.example.com");
        // the key is on disk, owner-only, and not in the database
        Path file = server.dataDir()
                .resolve("dkim")
                .resolve(acme.accountId())
                .resolve("byo.example.com")
                .resolve("mail2026.pk8");
        if (server.database().isPresent()) {
            // on PostgreSQL: sealed in the database, nowhere on disk (see SealedDkimKeyStoreTest)
            assertThat(file).doesNotExist();
            assertThat(sealedKeys("byo.example.com"))
                    .isNotEmpty()
                    .allSatisfy(row -> assertThat(row).doesNotContain(keyBody));
        } else {
            assertThat(Files.readAllBytes(file)).isEqualTo(pkcs8);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                    .isEqualTo("rw-------");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                    .isEqualTo("rwx------");
        }
        try (Stream<Path> db = Files.list(server.dataDir())
                .filter(p -> p.getFileName().toString().endsWith(".db"))) {
            for (Path p : db.toList()) {
                assertThat(indexOf(Files.readAllBytes(p), Arrays.copyOfRange(pkcs8, 100, 160)))
                        .as(p.toString())
                        .isNegative();
            }
        }

        // PEM inside base64 is taken too; back to AWS_SES makes a new key
        String pem = "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder().encodeToString(pkcs8)
                + "\n-----END PRIVATE KEY-----\n";
        ses.putEmailIdentityDkimSigningAttributes(r -> r.emailIdentity("byo.example.com")
                .signingAttributesOrigin(DkimSigningAttributesOrigin.EXTERNAL)
                .signingAttributes(a -> a.domainSigningSelector("pem")
                        .domainSigningPrivateKey(
                                Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.US_ASCII)))));
        PutEmailIdentityDkimSigningAttributesResponse back = ses.putEmailIdentityDkimSigningAttributes(
                r -> r.emailIdentity("byo.example.com").signingAttributesOrigin(DkimSigningAttributesOrigin.AWS_SES));
        assertThat(back.dkimTokens()).hasSize(1).doesNotContain("pem", "mail2026");
    }

    /** The sealed private keys of the account's domain in the server's PostgreSQL database. */
    private List<String> sealedKeys(String domain) {
        try (Database db = Database.open(server.database().orElseThrow())) {
            return db.jdbc()
                    .query(
                            "SELECT sealed_key FROM dkim_private_keys WHERE account_id = ? AND identity_name = ?",
                            rs -> rs.getString(1),
                            acme.accountId(),
                            domain);
        }
    }

    @Test
    void badKeysAndSelectorsAreBadRequests() throws Exception {
        ses.createEmailIdentity(r -> r.emailIdentity("keys.example.com"));
        var gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        byte[] pkcs8 = gen.generateKeyPair().getPrivate().getEncoded();
        byte[] pkcs1 = Arrays.copyOfRange(pkcs8, 26, pkcs8.length); // the RSAPrivateKey inside PKCS#8
        gen.initialize(512);
        String tooShort = Base64.getEncoder()
                .encodeToString(gen.generateKeyPair().getPrivate().getEncoded());
        String good = Base64.getEncoder().encodeToString(pkcs8);
        String pkcs1Pem = Base64.getEncoder()
                .encodeToString(("-----BEGIN RSA PRIVATE KEY-----\n"
                                + Base64.getMimeEncoder().encodeToString(pkcs1) + "\n-----END RSA PRIVATE KEY-----\n")
                        .getBytes(StandardCharsets.US_ASCII));
        record Case(String selector, String key) {}
        for (Case c : List.of(
                new Case("s1", Base64.getEncoder().encodeToString(pkcs1)),
                new Case("s1", pkcs1Pem),
                new Case("s1", tooShort),
                new Case("s1", "not base64 at all!"),
                new Case("s1", "AAAA"),
                new Case("a.b", good),
                new Case("a/b", good),
                new Case("-a", good),
                new Case("x".repeat(64), good))) {
            BadRequestException e = expectError(
                    () -> ses.putEmailIdentityDkimSigningAttributes(r -> r.emailIdentity("keys.example.com")
                            .signingAttributesOrigin(DkimSigningAttributesOrigin.EXTERNAL)
                            .signingAttributes(
                                    a -> a.domainSigningSelector(c.selector()).domainSigningPrivateKey(c.key()))),
                    BadRequestException.class,
                    400);
            assertThat(e.awsErrorDetails().errorMessage()).doesNotContain(good.substring(40, 80));
        }
        expectError(
                () -> ses.putEmailIdentityDkimSigningAttributes(r -> r.emailIdentity("keys.example.com")
                        .signingAttributesOrigin(DkimSigningAttributesOrigin.EXTERNAL)),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.putEmailIdentityDkimSigningAttributes(r -> r.emailIdentity("keys.example.com")
                        .signingAttributesOrigin(DkimSigningAttributesOrigin.AWS_SES_EU_WEST_1)),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.createEmailIdentity(r -> r.emailIdentity("create-bad.example.com")
                        .dkimSigningAttributes(
                                a -> a.domainSigningSelector("ok").domainSigningPrivateKey(tooShort))),
                BadRequestException.class,
                400);
        assertThat(ses.getEmailIdentity(r -> r.emailIdentity("keys.example.com"))
                        .dkimAttributes()
                        .signingAttributesOrigin())
                .isEqualTo(DkimSigningAttributesOrigin.AWS_SES);
        expectError(
                () -> ses.getEmailIdentity(r -> r.emailIdentity("create-bad.example.com")),
                NotFoundException.class,
                404);
    }

    @Test
    void putAttributesAreKeptAndShown() {
        ses.createEmailIdentity(r -> r.emailIdentity("attrs.example.com"));
        ses.putEmailIdentityDkimAttributes(
                r -> r.emailIdentity("attrs.example.com").signingEnabled(false));
        ses.putEmailIdentityFeedbackAttributes(
                r -> r.emailIdentity("attrs.example.com").emailForwardingEnabled(false));
        ses.putEmailIdentityMailFromAttributes(r -> r.emailIdentity("attrs.example.com")
                .mailFromDomain("bounce.attrs.example.com")
                .behaviorOnMxFailure(BehaviorOnMxFailure.REJECT_MESSAGE));
        expectError(
                () -> ses.putEmailIdentityConfigurationSetAttributes(
                        r -> r.emailIdentity("attrs.example.com").configurationSetName("missing")),
                NotFoundException.class,
                404);
        ses.createConfigurationSet(r -> r.configurationSetName("transactional"));
        ses.putEmailIdentityConfigurationSetAttributes(
                r -> r.emailIdentity("attrs.example.com").configurationSetName("transactional"));
        GetEmailIdentityResponse got = ses.getEmailIdentity(r -> r.emailIdentity("attrs.example.com"));
        assertThat(got.dkimAttributes().signingEnabled()).isFalse();
        assertThat(got.feedbackForwardingStatus()).isFalse();
        assertThat(got.mailFromAttributes().mailFromDomain()).isEqualTo("bounce.attrs.example.com");
        assertThat(got.mailFromAttributes().mailFromDomainStatusAsString()).isEqualTo("PENDING");
        assertThat(got.mailFromAttributes().behaviorOnMxFailure()).isEqualTo(BehaviorOnMxFailure.REJECT_MESSAGE);
        assertThat(got.configurationSetName()).isEqualTo("transactional");

        expectError(
                () -> ses.putEmailIdentityMailFromAttributes(
                        r -> r.emailIdentity("attrs.example.com").mailFromDomain("bounce.elsewhere.com")),
                BadRequestException.class,
                400);
        ses.putEmailIdentityMailFromAttributes(r -> r.emailIdentity("attrs.example.com"));
        ses.putEmailIdentityConfigurationSetAttributes(r -> r.emailIdentity("attrs.example.com"));
        GetEmailIdentityResponse cleared = ses.getEmailIdentity(r -> r.emailIdentity("attrs.example.com"));
        assertThat(cleared.mailFromAttributes()).isNull();
        assertThat(cleared.configurationSetName()).isNull();
    }

    @Test
    void identityArnsCarryTags() {
        ses.createEmailIdentity(r -> r.emailIdentity("tagged.example.com"));
        ses.createEmailIdentity(r -> r.emailIdentity("someone+x@tagged.example.com"));
        for (String name : List.of("tagged.example.com", "someone+x@tagged.example.com")) {
            String arn = "arn:aws:ses:us-east-1:" + acme.accountId() + ":identity/" + name;
            ses.tagResource(r -> r.resourceArn(arn).tags(tag("env", "prod")));
            assertThat(ses.listTagsForResource(r -> r.resourceArn(arn)).tags()).containsExactly(tag("env", "prod"));
            ses.untagResource(r -> r.resourceArn(arn).tagKeys("env"));
            assertThat(ses.listTagsForResource(r -> r.resourceArn(arn)).tags()).isEmpty();
        }
        expectError(
                () -> ses.tagResource(
                        r -> r.resourceArn("arn:aws:ses:us-east-1:" + acme.accountId() + ":identity/none.example.com")
                                .tags(tag("a", "b"))),
                NotFoundException.class,
                404);
    }

    @Test
    void domainVerifiesWhenItsRecordIsPublishedAndOperatorCanVouch() {
        CreateEmailIdentityResponse created = ses.createEmailIdentity(r -> r.emailIdentity("dns.example.com"));
        String selector = created.dkimAttributes().tokens().getFirst();
        JsonNode shown = server.admin().ok("GET", "/accounts/acme/identities/dns.example.com", null);
        JsonNode record = shown.path("DnsRecords").get(0);
        assertThat(record.path("Name").asText()).isEqualTo(selector + "._domainkey.dns.example.com");
        assertThat(record.path("Type").asText()).isEqualTo("TXT");
        assertThat(record.path("Value").asText()).startsWith("v=DKIM1; k=rsa; p=MII");
        assertThat(record.path("ZoneLine").asText())
                .startsWith(selector + "._domainkey.dns.example.com. 3600 IN TXT ( \"v=DKIM1;");
        dns.txt(record.path("Name").asText(), record.path("Value").asText());

        server.server().dkimChecks().checkDue(server.clock().instant());
        GetEmailIdentityResponse got = ses.getEmailIdentity(r -> r.emailIdentity("dns.example.com"));
        assertThat(got.verificationStatus()).isEqualTo(VerificationStatus.SUCCESS);
        assertThat(got.verifiedForSendingStatus()).isTrue();
        assertThat(got.dkimAttributes().status()).isEqualTo(DkimStatus.SUCCESS);
        assertThat(got.verificationInfo().lastSuccessTimestamp()).isNotNull();

        ses.createEmailIdentity(r -> r.emailIdentity("ops@internal.example"));
        server.admin().ok("POST", "/accounts/acme/identities/ops%40internal.example/verify", null);
        assertThat(ses.getEmailIdentity(r -> r.emailIdentity("ops@internal.example"))
                        .verifiedForSendingStatus())
                .isTrue();
        JsonNode list =
                server.admin().ok("GET", "/accounts/acme/identities", null).path("Identities");
        assertThat(list.findValues("Identity").stream().map(JsonNode::asText))
                .contains("dns.example.com", "ops@internal.example");
        for (JsonNode row : list) {
            if (row.path("Identity").asText().equals("dns.example.com")) {
                assertThat(row.path("VerifiedBy").asText()).isEqualTo("DNS");
            }
            if (row.path("Identity").asText().equals("ops@internal.example")) {
                assertThat(row.path("VerifiedBy").asText()).isEqualTo("OPERATOR");
            }
        }
        assertThat(server.admin()
                        .call("GET", "/accounts/nobody/identities", null)
                        .status())
                .isEqualTo(404);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
