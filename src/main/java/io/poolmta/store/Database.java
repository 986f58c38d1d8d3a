package io.poolmta.store;

import java.nio.file.Path;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * The embedded H2 database in the data directory, migrated to the current schema on open.
 * WRITE_DELAY=0 hands every commit to the operating system at once, so a committed change survives
 * the process being killed.
 */
public final class Database implements AutoCloseable {
    private final JdbcConnectionPool pool;
    private final Jdbc jdbc;

    private Database(JdbcConnectionPool pool) {
        this.pool = pool;
        this.jdbc = new Jdbc(pool);
    }

    public static Database openEmbedded(Path dataDir) {
        String url =
                "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("poolmta") + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "poolmta", "");
        pool.setMaxConnections(32);
        migrate(pool);
        return new Database(pool);
    }

    static void migrate(DataSource dataSource) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations("classpath:db/migration")
                .load()
                .migrate();
    }

    public Jdbc jdbc() {
        return jdbc;
    }

    @Override
    public void close() {
        // closing the last pooled connection closes the database file (DB_CLOSE_DELAY is 0)
        pool.dispose();
    }
}
