package io.poolmta.server;

import io.poolmta.identity.DkimKeySeal;
import io.poolmta.identity.FileDkimKeyStore;
import io.poolmta.identity.IdentityStore;
import io.poolmta.identity.IdentityType;
import io.poolmta.nodelink.ClusterKey;
import io.poolmta.store.Jdbc;
import io.poolmta.store.JdbcDkimKeyStore;
import io.poolmta.store.StoreException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private DKIM keys of a node whose control plane is on PostgreSQL: in the shared database,
 * sealed under a key derived from the cluster key ({@code DATA/tls/cluster.p12}), so that every
 * node signs every account's mail. At start: a node without a cluster key file while the database
 * already holds sealed keys refuses to start (it would otherwise make a key of its own); the first
 * node makes the cluster key; a node whose cluster key is not the one the keys were sealed under
 * refuses to start (see {@link JdbcDkimKeyStore#requireSealedUnder}). Then the key files this node
 * kept in {@code DATA/dkim} before (a node that ran on files) are moved into the database when it
 * lacks them; the files are left where they are and no longer read.
 */
final class ClusterDkimKeys {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterDkimKeys.class);

    /** The cluster key this node holds and the key store sealed under it. */
    record Opened(ClusterKey clusterKey, JdbcDkimKeyStore keys) {}

    private ClusterDkimKeys() {}

    static Opened open(Jdbc jdbc, Path dataRoot, IdentityStore identities, String node, Clock clock)
            throws IOException {
        var sealedBy = JdbcDkimKeyStore.sealedBy(jdbc);
        if (sealedBy.isPresent() && !Files.exists(dataRoot.resolve(ClusterKey.FILE))) {
            throw new StoreException(
                    "this node has no cluster key (" + ClusterKey.FILE + " in its data directory) and the"
                            + " database's private DKIM keys are sealed under cluster key "
                            + sealedBy.get().clusterKey() + " (first used by node "
                            + sealedBy.get().node()
                            + "). Copy " + ClusterKey.FILE + " from a node of the cluster into this node's"
                            + " data directory and start it again.",
                    null);
        }
        ClusterKey clusterKey = ClusterKey.inDataDirectory(dataRoot, clock);
        JdbcDkimKeyStore keys = new JdbcDkimKeyStore(jdbc, new DkimKeySeal(clusterKey.derive(DkimKeySeal.KEK_INFO)));
        keys.requireSealedUnder(clusterKey.fingerprint(), node, clock.instant());
        moveKeyFiles(new FileDkimKeyStore(dataRoot.resolve("dkim")), keys, identities);
        return new Opened(clusterKey, keys);
    }

    /** Key files of this node's identities that the database lacks go into it. */
    private static void moveKeyFiles(FileDkimKeyStore files, JdbcDkimKeyStore keys, IdentityStore identities) {
        int moved = 0;
        int orphans = 0;
        for (FileDkimKeyStore.KeyFile f : files.list()) {
            boolean known = identities
                    .get(f.accountId(), f.domain())
                    .filter(i -> i.type() == IdentityType.DOMAIN)
                    .isPresent();
            if (!known) {
                orphans++;
            } else if (!keys.contains(f.accountId(), f.domain(), f.selector())) {
                var der = files.load(f.accountId(), f.domain(), f.selector());
                if (der.isPresent()) {
                    keys.save(f.accountId(), f.domain(), f.selector(), der.get());
                    moved++;
                }
            }
        }
        if (moved > 0 || orphans > 0) {
            LOG.info(
                    "private DKIM keys: {} key file(s) of dkim/ moved into the database (sealed under the cluster"
                            + " key), {} left out (no such domain identity in the database); the files are no"
                            + " longer read and may be removed",
                    moved,
                    orphans);
        }
    }
}
