package io.poolmta.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.account.Account;
import io.poolmta.account.SendQuota;
import io.poolmta.identity.DkimAttributes;
import io.poolmta.identity.DkimKeyLength;
import io.poolmta.identity.DkimKeys;
import io.poolmta.identity.EmailIdentity;
import io.poolmta.identity.FileDkimKeyStore;
import io.poolmta.identity.IdentityType;
import io.poolmta.identity.MailFromAttributes;
import io.poolmta.identity.VerificationStatus;
import io.poolmta.nodelink.ClusterKey;
import io.poolmta.store.Database;
import io.poolmta.store.JdbcAccountStore;
import io.poolmta.store.JdbcIdentityStore;
import io.poolmta.testing.EmbeddedPostgresFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that kept its private DKIM keys as files (an older version on PostgreSQL, or a node moved
 * there) moves them into the database at start, sealed, when the database lacks them; a key file
 * of a domain the database does not know stays out, and a key the database holds already is not
 * replaced by a file.
 */
class ClusterDkimKeysTest {
    static final String ACCOUNT = "111111111111";
    static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    Database database;
    JdbcIdentityStore identities;

    @BeforeEach
    void open() {
        database = Database.open(EmbeddedPostgresFixture.freshDatabase());
        new JdbcAccountStore(database.jdbc())
                .insert(new Account(ACCOUNT, "alpha", T0, true, true, false, true, new SendQuota(50_000, 14.5)));
        identities = new JdbcIdentityStore(database.jdbc());
        identities.insert(domain("files.example.com"));
        identities.insert(domain("both.example.com"));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void keyFilesMoveIntoTheDatabaseWhenItLacksThem() throws Exception {
        byte[] onlyFile = DkimKeys.generate(DkimKeyLength.RSA_1024_BIT).pkcs8();
        byte[] inDatabase = DkimKeys.generate(DkimKeyLength.RSA_1024_BIT).pkcs8();
        byte[] staleFile = DkimKeys.generate(DkimKeyLength.RSA_1024_BIT).pkcs8();
        byte[] orphan = DkimKeys.generate(DkimKeyLength.RSA_1024_BIT).pkcs8();

        // another node sealed both.example.com's key first, under the cluster key
        Path other = dir.resolve("other");
        ClusterDkimKeys.Opened first =
                ClusterDkimKeys.open(database.jdbc(), other, identities, "other", Clock.systemUTC());
        first.keys().save(ACCOUNT, "both.example.com", "s1", inDatabase);

        // this node ran on files, and has the cluster key copied in
        Path node = Files.createDirectories(dir.resolve("node"));
        FileDkimKeyStore files = new FileDkimKeyStore(node.resolve("dkim"));
        files.save(ACCOUNT, "files.example.com", "s1", onlyFile);
        files.save(ACCOUNT, "both.example.com", "s1", staleFile);
        files.save(ACCOUNT, "gone.example.com", "s1", orphan);
        Files.createDirectories(node.resolve(ClusterKey.FILE).getParent());
        Files.copy(other.resolve(ClusterKey.FILE), node.resolve(ClusterKey.FILE));

        ClusterDkimKeys.Opened opened =
                ClusterDkimKeys.open(database.jdbc(), node, identities, "node", Clock.systemUTC());

        assertThat(opened.keys().load(ACCOUNT, "files.example.com", "s1")).hasValue(onlyFile);
        assertThat(opened.keys().load(ACCOUNT, "both.example.com", "s1")).hasValue(inDatabase);
        assertThat(opened.keys().contains(ACCOUNT, "gone.example.com", "s1")).isFalse();
        // the other node reads what this one moved
        assertThat(first.keys().load(ACCOUNT, "files.example.com", "s1")).hasValue(onlyFile);
    }

    private static EmailIdentity domain(String name) {
        return new EmailIdentity(
                ACCOUNT,
                name,
                IdentityType.DOMAIN,
                T0,
                VerificationStatus.SUCCESS,
                true,
                DkimAttributes.none(T0),
                MailFromAttributes.NONE,
                true,
                Optional.empty());
    }
}
