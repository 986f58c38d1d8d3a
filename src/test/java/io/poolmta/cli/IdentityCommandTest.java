package io.poolmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.MutableClock;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.sesv2.SesV2Client;

/**
 * {@code poolmta identity list|show|verify} against a running server, through picocli as the
 * launcher runs it (in this JVM, with --server and --token).
 */
class IdentityCommandTest {
    @TempDir
    static Path dir;

    static TestServer server;
    static SesV2Client ses;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir.resolve("data"), MutableClock.startingNow());
        TestAccount acme = server.createAccountWithoutSenders("acme");
        ses = server.ses(acme);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static CliRun poolmta(String... args) {
        return CliRun.asOperator(server, args);
    }

    @Test
    void showPrintsTheDkimRecordReadyForAZone() {
        String selector = ses.createEmailIdentity(r -> r.emailIdentity("shop.example.com"))
                .dkimAttributes()
                .tokens()
                .getFirst();
        CliRun run = poolmta("identity", "show", "shop.example.com", "--account", "acme");
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.out())
                .contains("Identity:      shop.example.com (DOMAIN)")
                .contains("Verification:  PENDING")
                .contains("  name:  " + selector + "._domainkey.shop.example.com")
                .contains("  type:  TXT")
                .contains("  value: v=DKIM1; k=rsa; p=MII")
                .contains(selector + "._domainkey.shop.example.com. 3600 IN TXT ( \"v=DKIM1; k=rsa; p=MII");
    }

    @Test
    void verifyIsShownAsTheOperatorsInList() {
        ses.createEmailIdentity(r -> r.emailIdentity("lab.example.com"));
        ses.createEmailIdentity(r -> r.emailIdentity("noreply@lab.example.com"));
        CliRun verify = poolmta("identity", "verify", "noreply@lab.example.com", "--account", "acme");
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("noreply@lab.example.com is verified by the operator (SUCCESS)");

        CliRun list = poolmta("identity", "list", "--account", "acme");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out())
                .containsPattern("IDENTITY +TYPE +STATUS +VERIFIED BY +DKIM +SIGNING")
                .containsPattern("lab\\.example\\.com +DOMAIN +PENDING +- +PENDING +true")
                .containsPattern("noreply@lab\\.example\\.com +EMAIL_ADDRESS +SUCCESS +OPERATOR +NOT_STARTED +false");
    }

    @Test
    void unknownIdentityOrAccountIsAOneLineError() {
        CliRun run = poolmta("identity", "show", "nothing.example.com", "--account", "acme");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err())
                .contains("poolmta: Email identity nothing.example.com does not exist. (NotFoundException)");
        CliRun noAccount = poolmta("identity", "list", "--account", "nobody");
        assertThat(noAccount.exit()).isEqualTo(1);
        assertThat(noAccount.err()).contains("Account nobody does not exist.");
    }
}
