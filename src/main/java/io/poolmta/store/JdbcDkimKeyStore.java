package io.poolmta.store;

import io.poolmta.identity.DkimKeySeal;
import io.poolmta.identity.DkimKeyStore;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;

/**
 * Private DKIM keys in the database a cluster's nodes share, sealed by {@link DkimKeySeal} (the
 * database only ever holds sealed bytes), so that a key made or given at one node signs at every
 * other. A write joins the caller's transaction (an identity and its key commit together) and is
 * announced to the other nodes like any table. Before it is used, {@link #requireSealedUnder}
 * proves that this node's key-encryption key is the one the keys were sealed under; a row that
 * still does not open (changed bytes) fails its {@link #load} with {@link DkimKeySeal.Unreadable},
 * so that nothing is signed with it.
 */
public final class JdbcDkimKeyStore implements DkimKeyStore {
    /** What the check row seals. */
    private static final byte[] CHECK = "PoolMTA DKIM key check".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] CHECK_AAD = "dkim_key_check".getBytes(StandardCharsets.US_ASCII);
    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final Base64.Decoder B64D = Base64.getDecoder();

    /** Who sealed the cluster's first key: the fingerprint of its cluster key and the node's name. */
    public record SealedBy(String clusterKey, String node) {}

    private final Jdbc jdbc;
    private final DkimKeySeal seal;

    public JdbcDkimKeyStore(Jdbc jdbc, DkimKeySeal seal) {
        this.jdbc = jdbc;
        this.seal = seal;
    }

    /** Who sealed the keys of this database, if any node has yet: readable without a cluster key. */
    public static Optional<SealedBy> sealedBy(Jdbc jdbc) {
        return jdbc.queryOne(
                "SELECT cluster_key, made_by FROM dkim_key_check WHERE id = 1",
                rs -> new SealedBy(rs.getString(1), rs.getString(2)));
    }

    /**
     * Makes sure that this store's seal opens the database's keys: the first node to call it writes
     * the check row; every later call opens it, and a node whose cluster key is another one is told
     * so with a {@link StoreException} that says what to do.
     */
    public void requireSealedUnder(String clusterKeyFingerprint, String node, Instant now) {
        jdbc.write(() -> {
            Optional<String[]> row = jdbc.queryOne(
                    "SELECT cluster_key, made_by, nonce, sealed_check FROM dkim_key_check WHERE id = 1",
                    rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)});
            if (row.isEmpty()) {
                DkimKeySeal.Sealed sealed = seal.seal(CHECK_AAD, CHECK);
                jdbc.update(
                        "INSERT INTO dkim_key_check (id, cluster_key, nonce, sealed_check, made_by, made_ms)"
                                + " VALUES (1, ?, ?, ?, ?, ?)",
                        clusterKeyFingerprint,
                        B64.encodeToString(sealed.nonce()),
                        B64.encodeToString(sealed.ciphertext()),
                        node,
                        now.toEpochMilli());
                return null;
            }
            String[] r = row.get();
            try {
                seal.open(
                        CHECK_AAD,
                        new DkimKeySeal.Sealed(B64D.decode(r[2]), B64D.decode(r[3])),
                        "the database's DKIM key check");
            } catch (DkimKeySeal.Unreadable e) {
                throw new StoreException(
                        "this node's cluster key (tls/cluster.p12 in its data directory, fingerprint "
                                + clusterKeyFingerprint + ") is not the cluster's: the private DKIM keys in the"
                                + " database are sealed under cluster key " + r[0] + " (first used by node " + r[1]
                                + "). Copy tls/cluster.p12 from a node of the cluster into this node's data"
                                + " directory and start it again. The node does not start, so that it never"
                                + " signs with a key it cannot read nor sends a signing domain's mail unsigned.",
                        e);
            }
            return null;
        });
    }

    @Override
    public void save(String accountId, String domain, String selector, byte[] pkcs8) {
        DkimKeySeal.Sealed sealed = seal.seal(accountId, domain, selector, pkcs8);
        jdbc.write(() -> {
            jdbc.update(
                    "DELETE FROM dkim_private_keys WHERE account_id = ? AND identity_name = ? AND selector = ?",
                    accountId,
                    domain,
                    selector);
            jdbc.update(
                    "INSERT INTO dkim_private_keys (account_id, identity_name, selector, nonce, sealed_key)"
                            + " VALUES (?, ?, ?, ?, ?)",
                    accountId,
                    domain,
                    selector,
                    B64.encodeToString(sealed.nonce()),
                    B64.encodeToString(sealed.ciphertext()));
            return null;
        });
    }

    @Override
    public Optional<byte[]> load(String accountId, String domain, String selector) {
        return sealed(accountId, domain, selector).map(s -> seal.open(accountId, domain, selector, s));
    }

    /** Whether the database holds a key under this selector (without opening it). */
    public boolean contains(String accountId, String domain, String selector) {
        return sealed(accountId, domain, selector).isPresent();
    }

    @Override
    public void delete(String accountId, String domain, String selector) {
        jdbc.update(
                "DELETE FROM dkim_private_keys WHERE account_id = ? AND identity_name = ? AND selector = ?",
                accountId,
                domain,
                selector);
    }

    @Override
    public void deleteAll(String accountId, String domain) {
        jdbc.update("DELETE FROM dkim_private_keys WHERE account_id = ? AND identity_name = ?", accountId, domain);
    }

    private Optional<DkimKeySeal.Sealed> sealed(String accountId, String domain, String selector) {
        return jdbc.queryOne(
                "SELECT nonce, sealed_key FROM dkim_private_keys"
                        + " WHERE account_id = ? AND identity_name = ? AND selector = ?",
                rs -> new DkimKeySeal.Sealed(B64D.decode(rs.getString(1)), B64D.decode(rs.getString(2))),
                accountId,
                domain,
                selector);
    }
}
