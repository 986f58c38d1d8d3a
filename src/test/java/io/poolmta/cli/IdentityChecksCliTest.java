package io.poolmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.server.HostPort;
import io.poolmta.server.IdentityOptions;
import io.poolmta.testing.LoopbackDnsServer;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.BehaviorOnMxFailure;
import software.amazon.awssdk.services.sesv2.model.DkimSigningAttributesOrigin;
import software.amazon.awssdk.services.sesv2.model.DkimSigningKeyLength;
import software.amazon.awssdk.services.sesv2.model.GetEmailIdentityResponse;
import software.amazon.awssdk.services.sesv2.model.MailFromDomainStatus;

/**
 * The records an operator publishes and checks, end to end against a DNS server on loopback:
 * a custom MAIL FROM domain's MX and SPF shown by {@code poolmta identity show} and verified through
 * GetEmailIdentity; a DKIM key rotation shown beside the current key; {@code poolmta ip check}
 * reading PTR, A and SPF records; and an EXTERNAL key in no output.
 */
class IdentityChecksCliTest {
    static final String FEEDBACK = "feedback.mta.example.net";

    @TempDir
    static Path dir;

    static LoopbackDnsServer dns;
    static TestServer server;
    static SesV2Client ses;

    @BeforeAll
    static void start() throws Exception {
        dns = LoopbackDnsServer.start();
        server = TestServer.startConfigured(
                dir.resolve("data"),
                MutableClock.startingNow(),
                c -> c.withDnsResolver(HostPort.parse(dns.hostPort()))
                        .withIdentity(IdentityOptions.defaults().withFeedbackHost(FEEDBACK)));
        TestAccount acme = server.createAccount("acme");
        server.admin()
                .ok(
                        "POST",
                        "/ips",
                        "{\"Role\":\"DEDICATED\",\"Account\":\"acme\",\"Ips\":[\"127.0.0.71\"],"
                                + "\"Ehlo\":\"out71.mta.example.net\"}");
        server.admin()
                .ok(
                        "POST",
                        "/ips",
                        "{\"Role\":\"SHARED\",\"Ips\":[\"127.0.0.72\"],\"Ehlo\":\"out72.mta.example.net\"}");
        ses = server.ses(acme);
    }

    @AfterAll
    static void stop() {
        server.close();
        dns.close();
    }

    static CliRun poolmta(String... args) {
        return CliRun.asOperator(server, args);
    }

    private static void checkNow() {
        server.clock().advance(Duration.ofMinutes(5));
        server.server().dkimChecks().checkDue(server.clock().instant());
        server.server().mailFromChecks().checkDue(server.clock().instant());
    }

    @Test
    void mailFromRecordsAreShownReadyToPasteAndVerifyOnceFound() {
        ses.createEmailIdentity(r -> r.emailIdentity("shop.example.com"));
        ses.putEmailIdentityMailFromAttributes(r -> r.emailIdentity("shop.example.com")
                .mailFromDomain("bounce.shop.example.com")
                .behaviorOnMxFailure(BehaviorOnMxFailure.REJECT_MESSAGE));
        CliRun show = poolmta("identity", "show", "shop.example.com", "--account", "acme");
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out())
                .contains("MAIL FROM:     bounce.shop.example.com, PENDING (on MX failure: REJECT_MESSAGE)")
                .contains("bounce.shop.example.com. 3600 IN MX 10 " + FEEDBACK + ".")
                .contains("bounce.shop.example.com. 3600 IN TXT \"v=spf1 ip4:127.0.0.71 ip4:127.0.0.72 ~all\"");

        checkNow();
        assertThat(ses.getEmailIdentity(r -> r.emailIdentity("shop.example.com"))
                        .mailFromAttributes()
                        .mailFromDomainStatus())
                .isEqualTo(MailFromDomainStatus.PENDING);

        JsonNode records = server.admin()
                .ok("GET", "/accounts/acme/identities/shop.example.com", null)
                .path("DnsRecords");
        for (JsonNode r : records) {
            switch (r.path("Type").asText()) {
                case "TXT" -> dns.txt(r.path("Name").asText(), r.path("Value").asText());
                case "MX" -> dns.mx(r.path("Name").asText(), 10, FEEDBACK);
                default -> throw new AssertionError(r.toString());
            }
        }
        checkNow();
        GetEmailIdentityResponse got = ses.getEmailIdentity(r -> r.emailIdentity("shop.example.com"));
        assertThat(got.mailFromAttributes().mailFromDomainStatus()).isEqualTo(MailFromDomainStatus.SUCCESS);
        assertThat(got.mailFromAttributes().behaviorOnMxFailure()).isEqualTo(BehaviorOnMxFailure.REJECT_MESSAGE);
        assertThat(got.verifiedForSendingStatus()).isTrue(); // the DKIM record was published too

        dns.remove("bounce.shop.example.com");
        server.clock().advance(Duration.ofHours(1));
        checkNow();
        assertThat(ses.getEmailIdentity(r -> r.emailIdentity("shop.example.com"))
                        .mailFromAttributes()
                        .mailFromDomainStatus())
                .isEqualTo(MailFromDomainStatus.TEMPORARY_FAILURE);
    }

    @Test
    void keyRotationShowsBothRecordsThenOnlyTheNewOne() {
        ses.createEmailIdentity(r -> r.emailIdentity("rotate.example.com"));
        publishDkim("rotate.example.com");
        checkNow();
        String old = ses.getEmailIdentity(r -> r.emailIdentity("rotate.example.com"))
                .dkimAttributes()
                .tokens()
                .getFirst();

        ses.putEmailIdentityDkimSigningAttributes(r -> r.emailIdentity("rotate.example.com")
                .signingAttributesOrigin(DkimSigningAttributesOrigin.AWS_SES)
                .signingAttributes(a -> a.nextSigningKeyLength(DkimSigningKeyLength.RSA_1024_BIT)));
        GetEmailIdentityResponse rotating = ses.getEmailIdentity(r -> r.emailIdentity("rotate.example.com"));
        assertThat(rotating.dkimAttributes().tokens()).hasSize(2).startsWith(old);
        assertThat(rotating.dkimAttributes().currentSigningKeyLength()).isEqualTo(DkimSigningKeyLength.RSA_2048_BIT);
        assertThat(rotating.dkimAttributes().nextSigningKeyLength()).isEqualTo(DkimSigningKeyLength.RSA_1024_BIT);
        String next = rotating.dkimAttributes().tokens().get(1);
        CliRun show = poolmta("identity", "show", "rotate.example.com", "--account", "acme");
        assertThat(show.out())
                .contains("Key rotation:  next selector " + next)
                .contains(old + "._domainkey.rotate.example.com. 3600 IN TXT")
                .contains(next + "._domainkey.rotate.example.com. 3600 IN TXT");

        publishDkim("rotate.example.com");
        checkNow();
        GetEmailIdentityResponse rotated = ses.getEmailIdentity(r -> r.emailIdentity("rotate.example.com"));
        assertThat(rotated.dkimAttributes().tokens()).containsExactly(next);
        assertThat(rotated.dkimAttributes().currentSigningKeyLength()).isEqualTo(DkimSigningKeyLength.RSA_1024_BIT);
        assertThat(rotated.dkimAttributes().lastKeyGenerationTimestamp())
                .isAfter(rotating.dkimAttributes().lastKeyGenerationTimestamp());
        assertThat(poolmta("identity", "show", "rotate.example.com", "--account", "acme")
                        .out())
                .doesNotContain(old)
                .doesNotContain("Key rotation");
    }

    @Test
    void ipCheckReportsPtrForwardConfirmationAndSpf() {
        dns.ptr("127.0.0.71", "out71.mta.example.net").a("out71.mta.example.net", "127.0.0.71");
        dns.ptr("127.0.0.72", "elsewhere.example.org"); // no A back, not the EHLO name
        ses.createEmailIdentity(r -> r.emailIdentity("spf.example.com"));
        ses.putEmailIdentityMailFromAttributes(
                r -> r.emailIdentity("spf.example.com").mailFromDomain("mf.spf.example.com"));
        dns.txt("mf.spf.example.com", "v=spf1 ip4:127.0.0.71 ip4:127.0.0.72 -all");
        dns.txt("spf.example.com", "v=spf1 include:mf.spf.example.com -all");

        CliRun good = poolmta("ip", "check", "127.0.0.71");
        assertThat(good.exit()).as(good.err()).isZero();
        assertThat(good.out())
                .contains("Can bind:          yes")
                .contains("EHLO name:         out71.mta.example.net")
                .contains("PTR:               out71.mta.example.net")
                .contains("PTR = EHLO name:   yes")
                .contains("Forward-confirmed: yes")
                .containsPattern("acme +spf\\.example\\.com +mf\\.spf\\.example\\.com +MAIL FROM +PASS +true")
                .containsPattern("acme +spf\\.example\\.com +spf\\.example\\.com +From +PASS +true")
                .contains("No problems found.");

        JsonNode shared = server.admin().ok("GET", "/ips/127.0.0.72/check", null);
        assertThat(shared.path("PtrMatchesEhlo").asBoolean()).isFalse();
        assertThat(shared.path("ForwardConfirmed").asBoolean()).isFalse();
        assertThat(shared.path("Problems").toString())
                .contains("is not its EHLO name out72.mta.example.net")
                .contains("does not resolve back");

        CliRun stranger = poolmta("ip", "check", "127.0.0.73");
        assertThat(stranger.out())
                .contains("(not a registered sending address)")
                .contains("PTR:               none")
                .contains("has no PTR record")
                .containsPattern("acme +spf\\.example\\.com +spf\\.example\\.com +From +FAIL +false");
        assertThat(server.admin().call("GET", "/ips/not-an-ip/check", null).status())
                .isEqualTo(400);
    }

    @Test
    void anExternalKeyIsInNoOutput() throws Exception {
        ses.createEmailIdentity(r -> r.emailIdentity("byo.example.com"));
        var gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        String key = Base64.getEncoder()
                .encodeToString(gen.generateKeyPair().getPrivate().getEncoded());
        ses.putEmailIdentityDkimSigningAttributes(r -> r.emailIdentity("byo.example.com")
                .signingAttributesOrigin(DkimSigningAttributesOrigin.EXTERNAL)
                .signingAttributes(a -> a.domainSigningSelector("byo1").domainSigningPrivateKey(key)));
        String stretch = key.substring(200, 260);
        assertThat(ses.listEmailIdentities(r -> {}).toString()).doesNotContain(stretch);
        assertThat(ses.getEmailIdentity(r -> r.emailIdentity("byo.example.com")).toString())
                .doesNotContain(stretch);
        for (String[] args : new String[][] {
            {"identity", "show", "byo.example.com", "--account", "acme"},
            {"identity", "show", "byo.example.com", "--account", "acme", "--json"},
            {"identity", "list", "--account", "acme", "--json"},
            {"identity", "verify", "byo.example.com", "--account", "acme"}
        }) {
            CliRun run = poolmta(args);
            assertThat(run.exit()).as(run.err()).isZero();
            assertThat(run.out() + run.err()).doesNotContain(stretch);
        }
        assertThat(server.admin().ok("GET", "/accounts/acme/identities", null).toString())
                .doesNotContain(stretch);
    }

    private static void publishDkim(String domain) {
        JsonNode records = server.admin()
                .ok("GET", "/accounts/acme/identities/" + domain, null)
                .path("DnsRecords");
        for (JsonNode r : records) {
            if (r.path("Type").asText().equals("TXT")) {
                dns.remove(r.path("Name").asText());
                dns.txt(r.path("Name").asText(), r.path("Value").asText());
            }
        }
    }
}
