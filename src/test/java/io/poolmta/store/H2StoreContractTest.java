package io.poolmta.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on the embedded H2 database, a new data directory per test. */
class H2StoreContractTest extends StoreContract {
    @TempDir
    Path dir;

    @Override
    Database open() {
        return Database.openEmbedded(dir);
    }
}
