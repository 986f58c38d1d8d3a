package io.poolmta.identity;

import static io.poolmta.testing.SesErrors.expectError;
import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.MutableClock;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;
import software.amazon.awssdk.services.sesv2.model.BadRequestException;
import software.amazon.awssdk.services.sesv2.model.DkimSigningAttributesOrigin;
import software.amazon.awssdk.services.sesv2.model.DkimSigningKeyLength;
import software.amazon.awssdk.services.sesv2.model.NotFoundException;

/**
 * Bad input to the identity operations that EmailIdentityApiTest does not already cover: malformed
 * MAIL FROM domains, and every remaining per-identity operation on another account's identity
 * answering NotFoundException with the same words as for one that does not exist (never a leak).
 */
class IdentityBadInputTest {
    @TempDir
    static Path dir;

    static TestServer server;
    static SesV2Client ses;
    static SesV2Client other;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir.resolve("data"), MutableClock.startingNow());
        ses = server.ses(server.createAccount("acme"));
        other = server.ses(server.createAccount("other"));
        ses.createEmailIdentity(r -> r.emailIdentity("mine.example.com"));
        ses.createConfigurationSet(r -> r.configurationSetName("set"));
        other.createConfigurationSet(r -> r.configurationSetName("set"));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void malformedMailFromDomainsAreBadRequests() {
        for (String bad : List.of(
                "bounce..mine.example.com",
                "-bounce.mine.example.com",
                "bounce mine.example.com",
                "bounce/x.mine.example.com",
                "mine.example.com",
                "bounce.mine.example.com.evil.test",
                "xmine.example.com",
                "192.0.2.1",
                "b@mine.example.com",
                "x".repeat(64) + ".mine.example.com")) {
            BadRequestException e = expectError(
                    () -> ses.putEmailIdentityMailFromAttributes(
                            r -> r.emailIdentity("mine.example.com").mailFromDomain(bad)),
                    BadRequestException.class,
                    400);
            assertThat(e.awsErrorDetails().errorMessage()).as(bad).isNotBlank();
        }
        assertThat(ses.getEmailIdentity(r -> r.emailIdentity("mine.example.com"))
                        .mailFromAttributes())
                .isNull();
    }

    @Test
    void anotherAccountsIdentityIsNotFoundLikeOneThatDoesNotExist() {
        String missing = expectError(
                        () -> other.putEmailIdentityMailFromAttributes(
                                r -> r.emailIdentity("absent.example.com").mailFromDomain("b.absent.example.com")),
                        NotFoundException.class,
                        404)
                .awsErrorDetails()
                .errorMessage();
        String theirs = expectError(
                        () -> other.putEmailIdentityMailFromAttributes(
                                r -> r.emailIdentity("mine.example.com").mailFromDomain("b.mine.example.com")),
                        NotFoundException.class,
                        404)
                .awsErrorDetails()
                .errorMessage();
        assertThat(theirs).isEqualTo(missing.replace("absent.example.com", "mine.example.com"));
        expectError(
                () -> other.putEmailIdentityDkimSigningAttributes(r -> r.emailIdentity("mine.example.com")
                        .signingAttributesOrigin(DkimSigningAttributesOrigin.AWS_SES)
                        .signingAttributes(a -> a.nextSigningKeyLength(DkimSigningKeyLength.RSA_1024_BIT))),
                NotFoundException.class,
                404);
        expectError(
                () -> other.putEmailIdentityConfigurationSetAttributes(
                        r -> r.emailIdentity("mine.example.com").configurationSetName("set")),
                NotFoundException.class,
                404);
        // nothing changed on the owner's side
        assertThat(ses.getEmailIdentity(r -> r.emailIdentity("mine.example.com"))
                        .mailFromAttributes())
                .isNull();
        assertThat(ses.getEmailIdentity(r -> r.emailIdentity("mine.example.com"))
                        .configurationSetName())
                .isNull();
        assertThat(ses.getEmailIdentity(r -> r.emailIdentity("mine.example.com"))
                        .dkimAttributes()
                        .tokens())
                .hasSize(1);
    }
}
