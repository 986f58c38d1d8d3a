package io.poolmta.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.MutableClock;
import io.poolmta.testing.TestAccount;
import io.poolmta.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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

    record Run(int exit, String out, String err) {}

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

    static synchronized Run poolmta(String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--server";
        all[args.length + 1] = server.url();
        all[args.length + 2] = "--token";
        all[args.length + 3] = server.operatorToken();
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            var cli = PoolMtaCommand.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int exit = cli.execute(all);
            return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(saved);
        }
    }

    @Test
    void showPrintsTheDkimRecordReadyForAZone() {
        String selector = ses.createEmailIdentity(r -> r.emailIdentity("shop.example.com"))
                .dkimAttributes()
                .tokens()
                .getFirst();
        Run run = poolmta("identity", "show", "shop.example.com", "--account", "acme");
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
        Run verify = poolmta("identity", "verify", "noreply@lab.example.com", "--account", "acme");
        assertThat(verify.exit()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("noreply@lab.example.com is verified by the operator (SUCCESS)");

        Run list = poolmta("identity", "list", "--account", "acme");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out())
                .containsPattern("IDENTITY +TYPE +STATUS +VERIFIED BY +DKIM +SIGNING")
                .containsPattern("lab\\.example\\.com +DOMAIN +PENDING +- +PENDING +true")
                .containsPattern("noreply@lab\\.example\\.com +EMAIL_ADDRESS +SUCCESS +OPERATOR +NOT_STARTED +false");
    }

    @Test
    void unknownIdentityOrAccountIsAOneLineError() {
        Run run = poolmta("identity", "show", "nothing.example.com", "--account", "acme");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err())
                .contains("poolmta: Email identity nothing.example.com does not exist. (NotFoundException)");
        Run noAccount = poolmta("identity", "list", "--account", "nobody");
        assertThat(noAccount.exit()).isEqualTo(1);
        assertThat(noAccount.err()).contains("Account nobody does not exist.");
    }
}
