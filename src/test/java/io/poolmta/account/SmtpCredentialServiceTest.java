package io.poolmta.account;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import io.poolmta.store.Database;
import io.poolmta.store.JdbcAccountStore;
import io.poolmta.store.JdbcSmtpCredentialStore;
import io.poolmta.testing.MutableClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SMTP credentials: random, shown once, stored as a salted PBKDF2 hash, in a real H2 database. */
class SmtpCredentialServiceTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    private Database database;
    private AccountService accounts;
    private SmtpCredentialService credentials;
    private JdbcSmtpCredentialStore store;

    @BeforeEach
    void open() {
        openDatabase();
        accounts.create("acme");
        accounts.create("globex");
    }

    private void openDatabase() {
        database = Database.openEmbedded(dir);
        accounts = new AccountService(new JdbcAccountStore(database.jdbc()), database.jdbc(), clock);
        store = new JdbcSmtpCredentialStore(database.jdbc());
        credentials = new SmtpCredentialService(store, accounts, database.jdbc(), clock);
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void createdCredentialsAuthenticateAsTheirAccount() {
        NewSmtpCredential created = credentials.create("acme");
        assertThat(created.username()).startsWith("SMPM").hasSize(20).matches("[A-Z2-7]+");
        assertThat(created.password()).hasSize(43).matches("[A-Za-z0-9_-]+");
        assertThat(created.accountId()).isEqualTo(accounts.byName("acme").id());
        assertThat(credentials.verify(created.username(), created.password())).contains(created.accountId());
    }

    @Test
    void onlyASaltedHashIsStored() {
        NewSmtpCredential created = credentials.create("acme");
        SmtpCredential stored = store.byUsername(created.username()).orElseThrow();
        assertThat(stored.passwordHash()).startsWith("pbkdf2-sha256$100000$").doesNotContain(created.password());
        assertThat(stored.createdAt()).isEqualTo(clock.instant());
        assertThat(stored.toString()).doesNotContain(stored.passwordHash());
        assertThat(created.toString()).doesNotContain(created.password());
    }

    @Test
    void twoCredentialsDiffer() {
        NewSmtpCredential a = credentials.create("acme");
        NewSmtpCredential b = credentials.create("acme");
        assertThat(a.username()).isNotEqualTo(b.username());
        assertThat(a.password()).isNotEqualTo(b.password());
        assertThat(credentials.verify(a.username(), b.password())).isEmpty();
        assertThat(credentials.list("acme"))
                .extracting(SmtpCredential::username)
                .containsExactlyInAnyOrder(a.username(), b.username());
        assertThat(credentials.list("globex")).isEmpty();
    }

    @Test
    void wrongPasswordOrUnknownUserIsRefused() {
        NewSmtpCredential created = credentials.create("acme");
        assertThat(credentials.verify(created.username(), created.password() + "x"))
                .isEmpty();
        assertThat(credentials.verify(created.username(), "")).isEmpty();
        assertThat(credentials.verify("SMPMNOSUCHUSER000000", created.password()))
                .isEmpty();
        assertThat(credentials.verify(created.username().toLowerCase(), created.password()))
                .isEmpty();
        assertThat(credentials.verify(null, created.password())).isEmpty();
    }

    @Test
    void unknownAccountIsNotFound() {
        assertThatThrownBy(() -> credentials.create("nobody"))
                .isInstanceOfSatisfying(
                        PoolMtaException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void deletedCredentialsNoLongerAuthenticate() {
        NewSmtpCredential created = credentials.create("acme");
        credentials.delete(created.username());
        assertThat(credentials.verify(created.username(), created.password())).isEmpty();
        assertThatThrownBy(() -> credentials.delete(created.username()))
                .isInstanceOfSatisfying(
                        PoolMtaException.class, e -> assertThat(e.kind()).isEqualTo(ErrorKind.NOT_FOUND));
    }

    @Test
    void credentialsSurviveARestart() {
        NewSmtpCredential created = credentials.create("globex");
        database.close();
        openDatabase();
        assertThat(credentials.verify(created.username(), created.password()))
                .contains(accounts.byName("globex").id());
        assertThat(credentials.list("globex")).hasSize(1);
    }

    @Test
    void malformedStoredHashNeverMatches() {
        for (String bad : List.of(
                "",
                "plain",
                "pbkdf2-sha256$x$AA==$AA==",
                "pbkdf2-sha256$0$AA==$AA==",
                "pbkdf2-sha256$1$!!$AA==",
                "md5$1$AA==$AA==")) {
            assertThat(SmtpPasswordHash.matches("secret", bad)).as(bad).isFalse();
        }
    }

    @Test
    void aRememberedLoginStillRefusesAWrongPasswordAndADeletedCredential() {
        var created = credentials.create("acme");
        assertThat(credentials.verify(created.username(), created.password())).isPresent();
        assertThat(credentials.verify(created.username(), created.password())).isPresent();
        assertThat(credentials.verify(created.username(), created.password() + "x"))
                .isEmpty();
        assertThat(credentials.verify(created.username(), created.password())).isPresent();
        credentials.delete(created.username());
        assertThat(credentials.verify(created.username(), created.password())).isEmpty();
    }
}
