package io.poolmta.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolmta.identity.DkimKeyLength;
import io.poolmta.identity.DkimKeySeal;
import io.poolmta.identity.DkimKeys;
import io.poolmta.nodelink.ClusterKey;
import io.poolmta.testing.EmbeddedPostgresFixture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Private DKIM keys in a cluster's PostgreSQL database: what the table holds is sealed, never the
 * key; the key opens only under the cluster key it was sealed under, and only in its own row; a
 * node holding another cluster key is refused before it reads or writes a key.
 */
class SealedDkimKeyStoreTest {
    static final String ACCOUNT = "111111111111";
    static final Instant NOW = Instant.parse("2026-03-01T10:00:00Z");

    @TempDir
    Path dir;

    Database database;
    Jdbc jdbc;
    ClusterKey clusterKey;
    JdbcDkimKeyStore store;
    byte[] pkcs8;

    @BeforeEach
    void open() throws Exception {
        database = Database.open(EmbeddedPostgresFixture.freshDatabase());
        jdbc = database.jdbc();
        clusterKey = ClusterKey.inDataDirectory(dir.resolve("n1"), Clock.systemUTC());
        store = storeUnder(clusterKey);
        store.requireSealedUnder(clusterKey.fingerprint(), "n1", NOW);
        pkcs8 = DkimKeys.generate(DkimKeyLength.RSA_1024_BIT).pkcs8();
    }

    @AfterEach
    void close() {
        database.close();
    }

    private JdbcDkimKeyStore storeUnder(ClusterKey key) throws Exception {
        return new JdbcDkimKeyStore(jdbc, new DkimKeySeal(key.derive(DkimKeySeal.KEK_INFO)));
    }

    @Test
    void theTableHoldsSealedBytesNeverTheKey() {
        store.save(ACCOUNT, "example.com", "sel1", pkcs8);
        store.save(ACCOUNT, "example.org", "sel1", pkcs8);

        List<String[]> rows = jdbc.query(
                "SELECT identity_name, nonce, sealed_key FROM dkim_private_keys ORDER BY identity_name",
                rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3)});
        assertThat(rows).hasSize(2);
        String hexKey = HexFormat.of().formatHex(pkcs8);
        String base64Key = Base64.getEncoder().encodeToString(pkcs8);
        for (String[] row : rows) {
            byte[] nonce = Base64.getDecoder().decode(row[1]);
            byte[] sealed = Base64.getDecoder().decode(row[2]);
            assertThat(nonce).hasSize(12);
            assertThat(sealed).hasSize(pkcs8.length + 16); // GCM: the same length and a 128-bit tag
            assertThat(sealed).isNotEqualTo(pkcs8);
            // no run of 16 bytes of the key appears in what is stored, in any of its encodings
            String stored = HexFormat.of().formatHex(sealed);
            for (int i = 0; i + 32 <= hexKey.length(); i += 32) {
                assertThat(stored).doesNotContain(hexKey.substring(i, i + 32));
            }
            assertThat(row[2]).doesNotContain(base64Key.substring(40, 80));
        }
        // the same key sealed twice: fresh nonces, different bytes
        assertThat(rows.get(0)[1]).isNotEqualTo(rows.get(1)[1]);
        assertThat(rows.get(0)[2]).isNotEqualTo(rows.get(1)[2]);

        assertThat(store.load(ACCOUNT, "example.com", "sel1")).hasValue(pkcs8);
        assertThat(store.load(ACCOUNT, "example.com", "other")).isEmpty();
    }

    @Test
    void anotherClusterKeyCannotOpenTheKeys() throws Exception {
        store.save(ACCOUNT, "example.com", "sel1", pkcs8);
        ClusterKey foreign = ClusterKey.generated(Clock.systemUTC());
        JdbcDkimKeyStore elsewhere = storeUnder(foreign);

        assertThatThrownBy(() -> elsewhere.load(ACCOUNT, "example.com", "sel1"))
                .isInstanceOf(DkimKeySeal.Unreadable.class)
                .hasMessageContaining("does not open under this node's cluster key");
        // at start, before it reads or writes any key, such a node is refused with what to do
        assertThatThrownBy(() -> elsewhere.requireSealedUnder(foreign.fingerprint(), "n9", NOW))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("fingerprint " + foreign.fingerprint())
                .hasMessageContaining("sealed under cluster key " + clusterKey.fingerprint())
                .hasMessageContaining("first used by node n1")
                .hasMessageContaining("Copy tls/cluster.p12 from a node of the cluster");
        assertThat(foreign.fingerprint()).isNotEqualTo(clusterKey.fingerprint());

        // the same cluster key read again from its file (another node's copy) opens them
        ClusterKey copy = ClusterKey.load(dir.resolve("n1").resolve(ClusterKey.FILE));
        JdbcDkimKeyStore sameKey = storeUnder(copy);
        sameKey.requireSealedUnder(copy.fingerprint(), "n2", NOW);
        assertThat(sameKey.load(ACCOUNT, "example.com", "sel1")).hasValue(pkcs8);
    }

    @Test
    void aSealedKeyOpensOnlyInItsOwnRow() {
        store.save(ACCOUNT, "example.com", "sel1", pkcs8);
        store.save(ACCOUNT, "example.org", "sel1", "another key".getBytes(StandardCharsets.US_ASCII));
        // example.com's sealed bytes copied over example.org's row: account, domain and selector
        // are its associated data, so it does not open there
        jdbc.write(() -> jdbc.update("UPDATE dkim_private_keys SET (nonce, sealed_key) = (SELECT nonce, sealed_key FROM"
                + " dkim_private_keys WHERE identity_name = 'example.com') WHERE identity_name = 'example.org'"));

        assertThatThrownBy(() -> store.load(ACCOUNT, "example.org", "sel1")).isInstanceOf(DkimKeySeal.Unreadable.class);
        assertThat(store.load(ACCOUNT, "example.com", "sel1")).hasValue(pkcs8);
    }

    @Test
    void savedAgainReplacedAndDeleted() {
        store.save(ACCOUNT, "example.com", "sel1", pkcs8);
        byte[] other = DkimKeys.generate(DkimKeyLength.RSA_1024_BIT).pkcs8();
        store.save(ACCOUNT, "example.com", "sel1", other);
        store.save(ACCOUNT, "example.com", "sel2", pkcs8);
        assertThat(store.load(ACCOUNT, "example.com", "sel1")).hasValue(other);
        assertThat(store.contains(ACCOUNT, "example.com", "sel2")).isTrue();

        store.delete(ACCOUNT, "example.com", "sel1");
        assertThat(store.load(ACCOUNT, "example.com", "sel1")).isEmpty();
        assertThat(store.load(ACCOUNT, "example.com", "sel2")).hasValue(pkcs8);
        store.deleteAll(ACCOUNT, "example.com");
        assertThat(store.contains(ACCOUNT, "example.com", "sel2")).isFalse();
    }
}
