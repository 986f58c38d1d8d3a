package io.poolmta.account;

import static io.poolmta.testing.SesErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.poolmta.testing.AdminHttp;
import io.poolmta.testing.MutableClock;
import io.poolmta.testing.ReceivedMessage;
import io.poolmta.testing.ScriptedSmtpServer;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.BulkEmailEntry;
import software.amazon.awssdk.services.sesv2.model.BulkEmailEntryResult;
import software.amazon.awssdk.services.sesv2.model.ConflictException;
import software.amazon.awssdk.services.sesv2.model.GetAccountResponse;
import software.amazon.awssdk.services.sesv2.model.LimitExceededException;
import software.amazon.awssdk.services.sesv2.model.MessageRejectedException;
import software.amazon.awssdk.services.sesv2.model.ReviewStatus;
import software.amazon.awssdk.services.sesv2.model.SendingPausedException;
import software.amazon.awssdk.services.sesv2.model.TooManyRequestsException;

/**
 * The sandbox, production access, the 24-hour quota, the sending rate and the account-wide pause,
 * end to end through the AWS SDK v2 against a real server and a sink on loopback. The domain clock
 * (24-hour counts) and the request clock (per-second rate, SigV4) are both the test's.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SandboxAndQuotasTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    MutableClock clock;
    MutableClock wall;
    TestServer server;
    ScriptedSmtpServer sink;

    @BeforeEach
    void setUp() {
        clock = MutableClock.startingNow();
        wall = MutableClock.startingNow();
        server = TestServer.start(dir, clock, env -> env.withRequestClock(wall));
        sink = ScriptedSmtpServer.acceptingAll();
        for (String domain : List.of("example.com", "verified.test", "sub.verified.test", "other.test")) {
            server.route(domain, sink.nextHop().toString());
        }
        server.addSharedIps("127.0.0.2");
    }

    @AfterEach
    void tearDown() {
        server.close();
        sink.close();
    }

    // --- the sandbox ---

    @Test
    void aNewAccountIsInTheSandboxWithSesQuota() {
        GetAccountResponse account =
                server.ses(server.createSandboxAccount("fresh")).getAccount(r -> {});

        assertThat(account.productionAccessEnabled()).isFalse();
        assertThat(account.sendingEnabled()).isTrue();
        assertThat(account.sendQuota().max24HourSend()).isEqualTo(200.0);
        assertThat(account.sendQuota().maxSendRate()).isEqualTo(1.0);
        assertThat(account.sendQuota().sentLast24Hours()).isEqualTo(0.0);
        assertThat(account.details()).isNull();
    }

    @Test
    void theSandboxSendsOnlyToAddressesItsVerifiedIdentitiesCover() {
        TestAccount acme = server.createSandboxAccount("acme");
        SesV2Client ses = server.ses(acme);
        ses.createEmailIdentity(r -> r.emailIdentity("verified.test"));
        ses.createEmailIdentity(r -> r.emailIdentity("only@other.test"));
        ses.createEmailIdentity(r -> r.emailIdentity("pending.test")); // never verified
        vouch("acme", "verified.test");
        vouch("acme", "only%40other.test");

        MessageRejectedException rejected = rejected(() -> send(ses, "stranger@example.com", "a@pending.test"));
        assertThat(rejected.awsErrorDetails().errorMessage())
                .startsWith("Email address is not verified. The following identities failed the check in region ")
                .endsWith(": stranger@example.com, a@pending.test");
        rejected(() -> send(ses, "ok@verified.test", "other@other.test"));
        tick();

        String toDomain = send(ses, "someone@verified.test");
        tick();
        String toParent = send(ses, "deep@sub.verified.test");
        tick();
        String toAddress = send(ses, "only@other.test");

        // Creating the address identity also mailed only@other.test its verification link, at a
        // moment of its own: four messages in all, three of them the account's.
        List<ReceivedMessage> received = sink.awaitMessages(4, WAIT);
        assertThat(received)
                .filteredOn(m -> m.text().contains("/verify-email/"))
                .extracting(m -> m.recipients().getFirst())
                .containsExactly("only@other.test");
        assertThat(received)
                .filteredOn(m -> !m.text().contains("/verify-email/"))
                .extracting(m -> m.recipients().getFirst())
                .containsExactlyInAnyOrder("someone@verified.test", "deep@sub.verified.test", "only@other.test");
        assertThat(List.of(toDomain, toParent, toAddress)).doesNotContainNull();
        assertThat(ses.getAccount(r -> {}).sendQuota().sentLast24Hours()).isEqualTo(3.0);
    }

    @Test
    void productionAccessLiftsTheSandboxAndSetsTheQuota() {
        TestAccount acme = server.createSandboxAccount("acme");
        SesV2Client ses = server.ses(acme);
        rejected(() -> send(ses, "anyone@example.com"));

        JsonNode granted = server.admin()
                .ok("POST", "/accounts/acme/production-access", "{\"Max24HourSend\":5000,\"MaxSendRate\":20}");

        assertThat(granted.get("ProductionAccessEnabled").asBoolean()).isTrue();
        GetAccountResponse account = ses.getAccount(r -> {});
        assertThat(account.productionAccessEnabled()).isTrue();
        assertThat(account.sendQuota().max24HourSend()).isEqualTo(5000.0);
        assertThat(account.sendQuota().maxSendRate()).isEqualTo(20.0);
        send(ses, "anyone@example.com");
        assertThat(sink.awaitMessages(1, WAIT).getFirst().recipients()).containsExactly("anyone@example.com");
    }

    @Test
    void productionAccessRefusesBadLimitsAndUnknownAccounts() {
        server.createSandboxAccount("acme");
        AdminHttp.Result negative =
                server.admin().call("POST", "/accounts/acme/production-access", "{\"Max24HourSend\":-2}");
        AdminHttp.Result text =
                server.admin().call("POST", "/accounts/acme/production-access", "{\"MaxSendRate\":\"fast\"}");
        AdminHttp.Result nobody = server.admin().call("POST", "/accounts/nobody/production-access", "{}");

        assertThat(negative.status()).isEqualTo(400);
        assertThat(negative.body().toString()).contains("Max24HourSend");
        assertThat(text.status()).isEqualTo(400);
        assertThat(nobody.status()).isEqualTo(404);
        assertThat(server.admin()
                        .ok("GET", "/accounts", null)
                        .at("/Accounts/0/ProductionAccessEnabled")
                        .asBoolean())
                .isFalse();
    }

    // --- the 24-hour quota ---

    @Test
    void overTheDailyQuotaSendEmailIsRefusedAndNothingIsAccepted() {
        TestAccount acme = production("acme", "{\"Max24HourSend\":5,\"MaxSendRate\":-1}");
        SesV2Client ses = server.ses(acme);

        send(ses, "a@example.com", "b@example.com", "c@example.com");
        send(ses, "d@example.com", "e@example.com");
        LimitExceededException over = expectError(() -> send(ses, "f@example.com"), LimitExceededException.class, 400);

        assertThat(over.awsErrorDetails().errorMessage()).isEqualTo("Daily message quota exceeded.");
        assertThat(sink.awaitMessages(2, WAIT)).hasSize(2);
        assertThat(ses.getAccount(r -> {}).sendQuota().sentLast24Hours()).isEqualTo(5.0);
        assertThat(sink.messages()).hasSize(2);
    }

    @Test
    void sentLast24HoursSurvivesARestartAndRollsOffAfter24Hours() {
        TestAccount acme = production("acme", "{\"Max24HourSend\":4,\"MaxSendRate\":-1}");
        send(server.ses(acme), "a@example.com", "b@example.com");
        clock.advance(Duration.ofHours(12));
        send(server.ses(acme), "c@example.com", "d@example.com");
        assertThat(server.ses(acme).getAccount(r -> {}).sendQuota().sentLast24Hours())
                .isEqualTo(4.0);

        server.restart();

        SesV2Client ses = server.ses(acme);
        assertThat(ses.getAccount(r -> {}).sendQuota().sentLast24Hours()).isEqualTo(4.0);
        expectError(() -> send(ses, "e@example.com"), LimitExceededException.class, 400);
        clock.advance(Duration.ofHours(12).plus(Duration.ofMinutes(10)));
        assertThat(ses.getAccount(r -> {}).sendQuota().sentLast24Hours()).isEqualTo(2.0);
        send(ses, "e@example.com");
        assertThat(ses.getAccount(r -> {}).sendQuota().sentLast24Hours()).isEqualTo(3.0);
        clock.advance(Duration.ofHours(24).plus(Duration.ofMinutes(10)));
        assertThat(ses.getAccount(r -> {}).sendQuota().sentLast24Hours()).isEqualTo(0.0);
    }

    @Test
    void bulkEntriesOverTheQuotaGetTheirOwnStatus() {
        TestAccount acme = production("acme", "{\"Max24HourSend\":2,\"MaxSendRate\":-1}");
        SesV2Client ses = server.ses(acme);

        List<BulkEmailEntryResult> results = ses.sendBulkEmail(r -> r.fromEmailAddress("news@acme.test")
                        .defaultContent(c -> c.template(t -> t.templateContent(
                                        tc -> tc.subject("Hi {{name}}").text("Hello {{name}}"))
                                .templateData("{\"name\":\"you\"}")))
                        .bulkEmailEntries(IntStream.range(0, 3)
                                .mapToObj(i -> BulkEmailEntry.builder()
                                        .destination(d -> d.toAddresses("r" + i + "@example.com"))
                                        .build())
                                .toList()))
                .bulkEmailEntryResults();

        assertThat(results)
                .extracting(e -> e.statusAsString())
                .containsExactly("SUCCESS", "SUCCESS", "ACCOUNT_DAILY_QUOTA_EXCEEDED");
        assertThat(results.get(2).error()).isEqualTo("Daily message quota exceeded.");
        assertThat(sink.awaitMessages(2, WAIT)).hasSize(2);
    }

    // --- the rate ---

    @Test
    void overTheRateSendEmailIsThrottledUntilTheBucketRefills() {
        TestAccount acme = production("acme", "{\"Max24HourSend\":-1,\"MaxSendRate\":2}");
        SesV2Client ses = server.ses(acme);

        send(ses, "a@example.com");
        send(ses, "b@example.com");
        TooManyRequestsException throttled =
                expectError(() -> send(ses, "c@example.com"), TooManyRequestsException.class, 429);
        assertThat(throttled.awsErrorDetails().errorMessage()).isEqualTo("Maximum sending rate exceeded.");

        wall.advance(Duration.ofMillis(500)); // one recipient's worth at 2 per second
        send(ses, "c@example.com");
        expectError(() -> send(ses, "d@example.com"), TooManyRequestsException.class, 429);

        assertThat(sink.awaitMessages(3, WAIT)).hasSize(3);
        assertThat(ses.getAccount(r -> {}).sendQuota().sentLast24Hours()).isEqualTo(3.0);
    }

    @Test
    void aMessageWithMoreRecipientsThanTheBucketHoldsWaitsForAFullBucketAndLeavesDebt() {
        TestAccount acme = production("acme", "{\"Max24HourSend\":-1,\"MaxSendRate\":1}");
        SesV2Client ses = server.ses(acme);

        send(ses, "a@example.com", "b@example.com", "c@example.com");
        wall.advance(Duration.ofSeconds(2));
        expectError(() -> send(ses, "d@example.com"), TooManyRequestsException.class, 429);
        wall.advance(Duration.ofSeconds(1));
        send(ses, "d@example.com");
    }

    // --- PutAccountDetails and the operator's review ---

    @Test
    void putAccountDetailsRecordsAProductionAccessRequestTheOperatorGrants() {
        TestAccount acme = server.createSandboxAccount("acme");
        SesV2Client ses = server.ses(acme);

        ses.putAccountDetails(r -> r.mailType("TRANSACTIONAL")
                .websiteURL("https://acme.test")
                .contactLanguage("EN")
                .useCaseDescription("Receipts and password resets.")
                .additionalContactEmailAddresses("ops@acme.test", "cto@acme.test")
                .productionAccessEnabled(true));

        GetAccountResponse pending = ses.getAccount(r -> {});
        assertThat(pending.productionAccessEnabled()).isFalse();
        assertThat(pending.details().mailTypeAsString()).isEqualTo("TRANSACTIONAL");
        assertThat(pending.details().websiteURL()).isEqualTo("https://acme.test");
        assertThat(pending.details().contactLanguageAsString()).isEqualTo("EN");
        assertThat(pending.details().useCaseDescription()).isEqualTo("Receipts and password resets.");
        assertThat(pending.details().additionalContactEmailAddresses())
                .containsExactly("ops@acme.test", "cto@acme.test");
        assertThat(pending.details().reviewDetails().status()).isEqualTo(ReviewStatus.PENDING);
        JsonNode listed = server.admin().ok("GET", "/accounts", null).at("/Accounts/0");
        assertThat(listed.get("Review").asText()).isEqualTo("PENDING");
        assertThat(listed.at("/Details/WebsiteURL").asText()).isEqualTo("https://acme.test");
        expectError(
                () -> ses.putAccountDetails(r ->
                        r.mailType("MARKETING").websiteURL("https://acme.test").productionAccessEnabled(true)),
                ConflictException.class,
                409);

        server.admin().ok("POST", "/accounts/acme/production-access", "{}");

        GetAccountResponse granted = ses.getAccount(r -> {});
        assertThat(granted.productionAccessEnabled()).isTrue();
        assertThat(granted.details().reviewDetails().status()).isEqualTo(ReviewStatus.GRANTED);
        assertThat(granted.sendQuota().max24HourSend()).isEqualTo(1_000_000.0);
        assertThat(granted.sendQuota().maxSendRate()).isEqualTo(500.0);
    }

    @Test
    void putAccountDetailsRefusesWhatTheModelRefuses() {
        SesV2Client ses = server.ses(server.createSandboxAccount("acme"));

        expectError(
                () -> ses.putAccountDetails(r -> r.websiteURL("https://acme.test")), BadRequestException.class, 400);
        expectError(() -> ses.putAccountDetails(r -> r.mailType("MARKETING")), BadRequestException.class, 400);
        expectError(
                () -> ses.putAccountDetails(r -> r.mailType("SPAM").websiteURL("https://acme.test")),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.putAccountDetails(r -> r.mailType("MARKETING").websiteURL("")),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.putAccountDetails(
                        r -> r.mailType("MARKETING").websiteURL("https://acme.test/" + "x".repeat(1000))),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.putAccountDetails(r ->
                        r.mailType("MARKETING").websiteURL("https://acme.test").contactLanguage("FR")),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.putAccountDetails(r ->
                        r.mailType("MARKETING").websiteURL("https://acme.test").useCaseDescription("x".repeat(5001))),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.putAccountDetails(r -> r.mailType("MARKETING")
                        .websiteURL("https://acme.test")
                        .additionalContactEmailAddresses("a@b.c")),
                BadRequestException.class,
                400);
        expectError(
                () -> ses.putAccountDetails(r -> r.mailType("MARKETING")
                        .websiteURL("https://acme.test")
                        .additionalContactEmailAddresses(
                                "one@acme.test",
                                "two@acme.test",
                                "three@acme.test",
                                "four@acme.test",
                                "five@acme.test")),
                BadRequestException.class,
                400);
        BadRequestException noAt = expectError(
                () -> ses.putAccountDetails(r -> r.mailType("MARKETING")
                        .websiteURL("https://acme.test")
                        .additionalContactEmailAddresses("nobody-at-all")),
                BadRequestException.class,
                400);
        assertThat(noAt.awsErrorDetails().errorMessage()).contains("AdditionalContactEmailAddresses[0]");

        assertThat(ses.getAccount(r -> {}).details()).isNull();
    }

    // --- pausing ---

    @Test
    void anAccountPausesAndResumesItsOwnSending() {
        TestAccount acme = server.createAccount("acme");
        SesV2Client ses = server.ses(acme);

        ses.putAccountSendingAttributes(r -> r.sendingEnabled(false));

        assertThat(ses.getAccount(r -> {}).sendingEnabled()).isFalse();
        expectError(() -> send(ses, "a@example.com"), SendingPausedException.class, 400);
        ses.putAccountSendingAttributes(r -> r.sendingEnabled(true));
        assertThat(ses.getAccount(r -> {}).sendingEnabled()).isTrue();
        send(ses, "a@example.com");
        assertThat(sink.awaitMessages(1, WAIT)).hasSize(1);
    }

    @Test
    void theOperatorsPauseCannotBeLiftedByTheAccount() {
        TestAccount acme = server.createAccount("acme");
        SesV2Client ses = server.ses(acme);

        JsonNode paused = server.admin().ok("PUT", "/accounts/acme/sending", "{\"SendingEnabled\":false}");

        assertThat(paused.get("SendingEnabled").asBoolean()).isFalse();
        assertThat(paused.get("PausedByOperator").asBoolean()).isTrue();
        expectError(() -> send(ses, "a@example.com"), SendingPausedException.class, 400);
        BadRequestException refused = expectError(
                () -> ses.putAccountSendingAttributes(r -> r.sendingEnabled(true)), BadRequestException.class, 400);
        assertThat(refused.awsErrorDetails().errorMessage()).contains("operator");
        assertThat(ses.getAccount(r -> {}).sendingEnabled()).isFalse();

        server.admin().ok("PUT", "/accounts/acme/sending", "{\"SendingEnabled\":true}");

        assertThat(ses.getAccount(r -> {}).sendingEnabled()).isTrue();
        send(ses, "a@example.com");
        assertThat(server.ses(acme).getAccount(r -> {}).sendQuota().sentLast24Hours())
                .isEqualTo(1.0);
    }

    /** SES's MessageRejected (the model names the error without "Exception"). */
    private static MessageRejectedException rejected(ThrowingCallable call) {
        MessageRejectedException error = catchThrowableOfType(MessageRejectedException.class, call);
        assertThat(error).as("expected MessageRejected").isNotNull();
        assertThat(error.statusCode()).isEqualTo(400);
        assertThat(error.awsErrorDetails().errorCode()).isEqualTo("MessageRejected");
        return error;
    }

    private TestAccount production(String name, String quota) {
        TestAccount account = server.createSandboxAccount(name);
        server.admin().ok("POST", "/accounts/" + name + "/production-access", quota);
        return account;
    }

    private void vouch(String account, String identity) {
        server.admin().ok("POST", "/accounts/" + account + "/identities/" + identity + "/verify", null);
    }

    /** One second of real time: a sandbox account's next message may go. */
    private void tick() {
        wall.advance(Duration.ofSeconds(1));
    }

    private static String send(SesV2Client ses, String... to) {
        return ses.sendEmail(r -> r.fromEmailAddress("sender@acme.test")
                        .destination(d -> d.toAddresses(to))
                        .content(c -> c.simple(
                                s -> s.subject(x -> x.data("quota")).body(b -> b.text(t -> t.data("counted"))))))
                .messageId();
    }
}
