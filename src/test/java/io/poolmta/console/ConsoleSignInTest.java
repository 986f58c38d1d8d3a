package io.poolmta.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.account.AccountService;
import io.poolmta.account.NewAccount;
import io.poolmta.store.Database;
import io.poolmta.store.JdbcAccountStore;
import io.poolmta.submission.AuthThrottle;
import io.poolmta.testing.MutableClock;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Sign-in is locked out like SMTP AUTH: five failures in ten minutes lock the address out. */
class ConsoleSignInTest {
    @TempDir
    Path dir;

    @Test
    void fiveFailuresLockTheAddressOutEvenForTheRightSecret() throws Exception {
        try (Database db = Database.openEmbedded(dir)) {
            MutableClock clock = MutableClock.startingNow();
            AccountService accounts = new AccountService(new JdbcAccountStore(db.jdbc()), db.jdbc(), clock);
            NewAccount created = accounts.create("acme");
            Acme acme = new Acme(
                    created.account().id(),
                    created.key().accessKeyId(),
                    created.key().secretAccessKey());
            ConsoleSignIn signIn = new ConsoleSignIn(accounts, () -> "token", new AuthThrottle(clock, Duration.ZERO));

            for (int i = 0; i < 5; i++) {
                assertThat(signIn.account("127.0.0.9", acme.accessKeyId(), "wrong")
                                .message())
                        .isEqualTo(ConsoleSignIn.WRONG);
            }
            ConsoleSignIn.Result locked = signIn.account("127.0.0.9", acme.accessKeyId(), acme.secretAccessKey());
            assertThat(locked.principal()).isEmpty();
            assertThat(locked.message()).contains("Too many failed sign-in attempts");
            // another address is not locked out
            assertThat(signIn.account("127.0.0.10", acme.accessKeyId(), acme.secretAccessKey())
                            .principal())
                    .contains(Principal.account(acme.accountId(), "acme"));
            clock.advance(Duration.ofMinutes(16));
            assertThat(signIn.account("127.0.0.9", acme.accessKeyId(), acme.secretAccessKey())
                            .principal())
                    .isPresent();
            assertThat(signIn.operator("127.0.0.11", "token").principal()).contains(Principal.theOperator());
        }
    }

    private record Acme(String accountId, String accessKeyId, String secretAccessKey) {}
}
