package io.poolmta.store;

import io.poolmta.testing.EmbeddedPostgresFixture;

/** The store contract on PostgreSQL: the embedded server, a new database per test. */
class PostgresqlStoreContractTest extends StoreContract {
    @Override
    Database open() {
        return Database.open(EmbeddedPostgresFixture.freshDatabase());
    }
}
