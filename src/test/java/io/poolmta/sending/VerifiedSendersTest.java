package io.poolmta.sending;

import static io.poolmta.testing.SesErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.identity.DkimVerification;
import io.poolmta.identity.EmailIdentity;
import io.poolmta.identity.MailFromAttributes;
import io.poolmta.identity.VerificationStatus;
import io.poolmta.server.HostPort;
import io.poolmta.store.Database;
import io.poolmta.store.JdbcIdentityStore;
import io.poolmta.testing.DkimVerifier;
import io.poolmta.testing.EventLog;
import io.poolmta.testing.LoopbackDnsServer;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.SmtpCredentials;
import io.poolmta.testing.SmtpSubmit;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import jakarta.mail.MessagingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.BehaviorOnMxFailure;
import software.amazon.awssdk.services.sesv2.model.DkimStatus;
import software.amazon.awssdk.services.sesv2.model.MailFromDomainNotVerifiedException;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;

/**
 * Sending from verified identities, end to end: a domain identity verified by its DNS record (a
 * loopback DNS server the test publishes in), mail from it DKIM signed at acceptance and the
 * signature checked by an independent verifier (dkimpy) against the key in that DNS server;
 * unverified senders refused over the API and SMTP; return paths on the bounce domain or the
 * identity's verified custom MAIL FROM domain; the identity's default configuration set.
 */
class VerifiedSendersTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String BOUNCES = "bounces.poolmta.localhost";

    @TempDir
    Path dir;

    LoopbackDnsServer dns;
    MutableClock clock;
    TestServer server;
    ScriptedSmtpServer sink;
    TestAccount acme;
    SesV2Client ses;

    @BeforeEach
    void setUp() throws Exception {
        dns = LoopbackDnsServer.start();
        clock = MutableClock.startingNow();
        server = TestServer.startConfigured(
                dir.resolve("data"), clock, config -> config.withDnsResolver(HostPort.parse(dns.hostPort())));
        sink = ScriptedSmtpServer.acceptingAll();
        server.route("example.com", sink.nextHop().toString());
        acme = server.createAccount("acme"); // example.com, acme.test, ... vouched, not signing
        server.addSharedIps("127.0.0.2");
        ses = server.ses(acme);
        ses.createConfigurationSet(
                r -> r.configurationSetName("shared").deliveryOptions(d -> d.sendingPoolName("ses-shared-pool")));
    }

    @AfterEach
    void tearDown() {
        server.close();
        sink.close();
        dns.close();
    }

    /** Creates the domain identity, publishes its record and lets the server's DNS check verify it. */
    private String verifyByDns(String domain) {
        ses.createEmailIdentity(r -> r.emailIdentity(domain));
        JsonNode shown = server.admin().ok("GET", "/accounts/acme/identities/" + domain, null);
        JsonNode record = shown.get("DnsRecords").get(0);
        dns.txt(record.get("Name").asText(), record.get("Value").asText());
        clock.advance(DkimVerification.WAITING_INTERVAL);
        server.server().dkimChecks().checkDue(clock.instant());
        assertThat(ses.getEmailIdentity(r -> r.emailIdentity(domain))
                        .dkimAttributes()
                        .status())
                .isEqualTo(DkimStatus.SUCCESS);
        return shown.get("Selector").asText();
    }

    /** SES's MessageRejected (its error code has no "Exception"), 400. */
    private static MessageRejectedException rejected(ThrowingCallable call) {
        MessageRejectedException error = catchThrowableOfType(MessageRejectedException.class, call);
        assertThat(error).as("expected MessageRejected").isNotNull();
        assertThat(error.statusCode()).isEqualTo(400);
        assertThat(error.awsErrorDetails().errorCode()).isEqualTo("MessageRejected");
        return error;
    }

    private String sendRaw(String raw) {
        return ses.sendEmail(r -> r.content(c -> c.raw(m -> m.data(SdkBytes.fromUtf8String(raw)))))
                .messageId();
    }

    private String sendSimple(String from) {
        return ses.sendEmail(r -> r.fromEmailAddress(from)
                        .destination(d -> d.toAddresses("to@example.com"))
                        .configurationSetName("shared")
                        .content(c -> c.simple(
                                s -> s.subject(x -> x.data("Hello")).body(b -> b.text(t -> t.data("Hi there"))))))
                .messageId();
    }

    @Test
    void mailFromADomainVerifiedByDnsIsSignedAndTheSignatureVerifies() {
        DkimVerifier.assumeAvailable();
        // before its record is found, the domain is no verified sender
        ses.createEmailIdentity(r -> r.emailIdentity("signed.test"));
        MessageRejectedException refused = rejected(() -> sendSimple("news@signed.test"));
        assertThat(refused.awsErrorDetails().errorMessage())
                .isEqualTo("Email address is not verified. The following identities failed the check in region"
                        + " US-EAST-1: news@signed.test");
        ses.deleteEmailIdentity(r -> r.emailIdentity("signed.test"));

        String selector = verifyByDns("signed.test");
        // a line starting with a dot (dot-stuffed on the wire), and the set header PoolMTA removes
        String id = sendRaw("X-SES-CONFIGURATION-SET: shared\r\n"
                + "From: News <news@signed.test>\r\n"
                + "To: to@example.com\r\n"
                + "Subject:   Signed   mail\r\n"
                + "\r\n"
                + "Hello,\r\n"
                + ".a line that starts with a dot\r\n"
                + "..and two\r\n"
                + "trailing spaces   \r\n"
                + "\r\n\r\n");

        ReceivedMessage received = sink.awaitMessages(1, WAIT).getFirst();
        String text = received.text();
        assertThat(text)
                .startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=signed.test; s=" + selector + ";");
        assertThat(new String(received.wireData(), StandardCharsets.UTF_8)).contains("\r\n..a line that starts");
        DkimVerifier.Verdict verdict = DkimVerifier.verify(received.data(), dns);
        assertThat(verdict.pass()).as(verdict.out() + verdict.err()).isTrue();
        assertThat(received.mailFrom()).isEqualTo(id + "@" + BOUNCES);

        JsonNode send = EventLog.of(server).await(id, "Send", WAIT);
        assertThat(send.at("/mail/source").asText()).isEqualTo("news@signed.test");
        assertThat(send.at("/mail/commonHeaders/from/0").asText()).isEqualTo("News <news@signed.test>");
        assertThat(send.at("/mail/commonHeaders/subject").asText()).isEqualTo("Signed   mail");
        assertThat(send.at("/mail/headers/0/name").asText()).isEqualTo("DKIM-Signature");

        // a subdomain's From is covered by its parent's identity, and signed with its key
        sendSimple("Alerts <alerts@eu.mail.signed.test>");
        ReceivedMessage sub = sink.awaitMessages(2, WAIT).get(1);
        assertThat(sub.text()).contains("d=signed.test; s=" + selector + ";");
        DkimVerifier.Verdict subVerdict = DkimVerifier.verify(sub.data(), dns);
        assertThat(subVerdict.pass()).as(subVerdict.out() + subVerdict.err()).isTrue();
    }

    @Test
    void unverifiedSendersAreRefusedOverTheApiNamingEachOne() {
        MessageRejectedException simple = rejected(() -> sendSimple("Someone <someone@unverified.test>"));
        assertThat(simple.awsErrorDetails().errorMessage()).endsWith("US-EAST-1: someone@unverified.test");

        // Raw: the From and the Sender must both be covered; the refusal names the ones that are not
        MessageRejectedException raw = rejected(() -> sendRaw(
                "From: a@acme.test\r\nSender: b@other.test\r\nTo: to@example.com\r\n" + "Subject: x\r\n\r\nbody\r\n"));
        assertThat(raw.awsErrorDetails().errorMessage()).endsWith(": b@other.test");
        MessageRejectedException two = rejected(() -> sendRaw(
                "From: a@x.test\r\nSender: b@other.test\r\nTo: to@example.com\r\n" + "Subject: x\r\n\r\nbody\r\n"));
        assertThat(two.awsErrorDetails().errorMessage()).endsWith(": a@x.test, b@other.test");

        // an address identity covers that address only, and only once it is verified
        ses.createEmailIdentity(r -> r.emailIdentity("only@single.test"));
        rejected(() -> sendSimple("only@single.test"));
        server.admin().ok("POST", "/accounts/acme/identities/only@single.test/verify", "");
        sendSimple("only@single.test");
        rejected(() -> sendSimple("other@single.test"));

        // templated and bulk sends follow the same rule
        ses.createEmailTemplate(r -> r.templateName("t")
                .templateContent(c -> c.subject("Hi {{name}}").text("Hello {{name}}")));
        rejected(() -> ses.sendEmail(r -> r.fromEmailAddress("x@unverified.test")
                .destination(d -> d.toAddresses("to@example.com"))
                .content(c -> c.template(t -> t.templateName("t").templateData("{\"name\":\"a\"}")))));
        rejected(() -> ses.sendBulkEmail(r -> r.fromEmailAddress("x@unverified.test")
                .defaultContent(c -> c.template(t -> t.templateName("t").templateData("{}")))
                .bulkEmailEntries(e -> e.destination(d -> d.toAddresses("to@example.com")))));
        assertThat(sink.awaitMessages(1, WAIT)).hasSize(1);
        assertThat(sink.messages()).hasSize(1);
    }

    @Test
    void smtpSubmissionFromAnUnverifiedAddressIsRefusedWith554() throws Exception {
        SmtpCredentials credentials = SmtpCredentials.create(server, "acme");
        Throwable refused =
                catchThrowable(() -> SmtpSubmit.send(server, credentials, "spoof@unverified.test", "shared", "s"));
        assertThat(refused).isInstanceOf(MessagingException.class);
        assertThat(refused.getMessage())
                .contains("554 5.7.1 Email address is not verified. The following identities failed the check in"
                        + " region ANY: spoof@unverified.test");
        SmtpSubmit.send(server, credentials, "s@acme.test", "shared", "s");
        assertThat(sink.awaitMessages(1, WAIT).getFirst().mailFrom()).endsWith("@" + BOUNCES);
    }

    @Test
    void theReturnPathIsOnTheCustomMailFromDomainOnlyOnceItIsVerified() {
        ses.putEmailIdentityMailFromAttributes(r -> r.emailIdentity("acme.test")
                .mailFromDomain("bounce.acme.test")
                .behaviorOnMxFailure(BehaviorOnMxFailure.USE_DEFAULT_VALUE));
        String pending = sendSimple("news@acme.test");
        assertThat(sink.awaitMessages(1, WAIT).getFirst().mailFrom()).isEqualTo(pending + "@" + BOUNCES);

        setMailFromStatus("acme.test", VerificationStatus.SUCCESS);
        ses = server.ses(acme);
        String verified = sendSimple("news@acme.test");
        assertThat(sink.awaitMessages(2, WAIT).get(1).mailFrom()).isEqualTo(verified + "@bounce.acme.test");
        JsonNode send = EventLog.of(server).await(verified, "Send", WAIT);
        assertThat(send.at("/mail/source").asText()).isEqualTo("news@acme.test");

        // REJECT_MESSAGE: while the MAIL FROM domain is not verified, nothing is accepted
        ses.putEmailIdentityMailFromAttributes(r -> r.emailIdentity("example.org")
                .mailFromDomain("mail.example.org")
                .behaviorOnMxFailure(BehaviorOnMxFailure.REJECT_MESSAGE));
        MailFromDomainNotVerifiedException rejected =
                expectError(() -> sendSimple("a@example.org"), MailFromDomainNotVerifiedException.class, 400);
        assertThat(rejected.awsErrorDetails().errorMessage()).contains("mail.example.org");
        setMailFromStatus("example.org", VerificationStatus.SUCCESS);
        ses = server.ses(acme);
        String accepted = sendSimple("a@example.org");
        assertThat(sink.awaitMessages(3, WAIT).get(2).mailFrom()).isEqualTo(accepted + "@mail.example.org");
    }

    /** What the MX check will record, set directly in the stopped server's database. */
    private void setMailFromStatus(String identity, VerificationStatus status) {
        server.restart(() -> {
            try (Database db = Database.openEmbedded(dir.resolve("data"))) {
                JdbcIdentityStore store = new JdbcIdentityStore(db.jdbc());
                EmailIdentity current = store.get(acme.accountId(), identity).orElseThrow();
                MailFromAttributes m = current.mailFrom();
                store.update(current.withMailFrom(new MailFromAttributes(m.domain(), status, m.behaviorOnMxFailure())));
            }
        });
    }

    @Test
    void aMessageNamingNoConfigurationSetGetsItsIdentitysDefault() {
        ses.createConfigurationSet(
                r -> r.configurationSetName("defaulted").deliveryOptions(d -> d.sendingPoolName("ses-shared-pool")));
        ses.putEmailIdentityConfigurationSetAttributes(
                r -> r.emailIdentity("acme.test").configurationSetName("defaulted"));
        String id = ses.sendEmail(r -> r.fromEmailAddress("news@acme.test")
                        .destination(d -> d.toAddresses("to@example.com"))
                        .content(c ->
                                c.simple(s -> s.subject(x -> x.data("Hello")).body(b -> b.text(t -> t.data("Hi"))))))
                .messageId();
        ReceivedMessage received = sink.awaitMessages(1, WAIT).getFirst();
        assertThat(received.sourceAddress()).isEqualTo("127.0.0.2"); // the default set's pool
        JsonNode send = EventLog.of(server).await(id, "Send", WAIT);
        assertThat(send.at("/mail/tags/ses:configuration-set/0").asText()).isEqualTo("defaulted");
    }
}
