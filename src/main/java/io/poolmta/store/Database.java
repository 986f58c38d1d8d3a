package io.poolmta.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * The control-plane database, migrated to the current schema on open: by default the embedded H2
 * database in the data directory (WRITE_DELAY=0 hands every commit to the operating system at
 * once, so a committed change survives the process being killed); or a PostgreSQL server that
 * several nodes share ({@link #open(String)}), through a HikariCP pool: unlike the in-process H2
 * pool it validates connections a network or a server restart has broken, and bounds the wait
 * for one.
 */
public final class Database implements AutoCloseable {
    /** The connections one node keeps to PostgreSQL at most (every node of a cluster keeps its own). */
    public static final int POSTGRESQL_POOL_SIZE = 16;

    private final AutoCloseable pool;
    private final Jdbc jdbc;
    private final DataSource dataSource;
    /** PostgreSQL: the URL the change feed's own connection uses; empty for the embedded H2. */
    private final Optional<String> listenUrl;

    private volatile ChangeFeed feed = ChangeFeed.none();

    private Database(DataSource dataSource, AutoCloseable pool, Dialect dialect, Optional<String> listenUrl) {
        this.pool = pool;
        this.jdbc = new Jdbc(dataSource, dialect);
        this.dataSource = dataSource;
        this.listenUrl = listenUrl;
    }

    public static Database openEmbedded(Path dataDir) {
        // MAX_LENGTH_INPLACE_LOB: a CLOB up to 64 KB (the ledger's JSON of a sent message) stays in
        // its row; at the default 256 characters each one went through H2's LOB store, a second
        // write and a later clean-up per delivered message
        String url = "jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("poolmta")
                + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0;MAX_LENGTH_INPLACE_LOB=65536";
        JdbcConnectionPool pool = JdbcConnectionPool.create(url, "poolmta", "");
        pool.setMaxConnections(32);
        migrate(pool, Dialect.H2);
        return new Database(pool, pool::dispose, Dialect.H2, Optional.empty());
    }

    /**
     * Opens a PostgreSQL database given as {@code postgresql://HOST:PORT/DB?user=NAME&password=SECRET}
     * (a {@code jdbc:} prefix is accepted too). A malformed URL is an {@link IllegalArgumentException},
     * a server that cannot be reached a {@link StoreException}; neither message holds the password.
     */
    public static Database open(String url) {
        String jdbcUrl = jdbcUrl(url);
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("poolmta-postgresql");
        config.setMaximumPoolSize(POSTGRESQL_POOL_SIZE);
        config.setConnectionTimeout(Duration.ofSeconds(10).toMillis());
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to the database " + redacted(url) + ": " + rootMessage(e), e);
        }
        try {
            migrate(pool, Dialect.POSTGRESQL);
        } catch (RuntimeException e) {
            pool.close();
            throw new StoreException("cannot migrate the database " + redacted(url) + ": " + rootMessage(e), e);
        }
        return new Database(pool, pool, Dialect.POSTGRESQL, Optional.of(jdbcUrl));
    }

    /** Refuses a database URL that is not {@code postgresql://HOST[:PORT]/DATABASE[?PARAMETERS]}. */
    public static void checkUrl(String url) {
        jdbcUrl(url);
    }

    /** The JDBC URL of a {@code postgresql://} URL; anything else is malformed. */
    static String jdbcUrl(String url) {
        String text = url.strip();
        if (text.startsWith("jdbc:")) {
            text = text.substring("jdbc:".length());
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            throw malformed(url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String path = uri.getRawPath() == null ? "" : uri.getRawPath();
        if (!(scheme.equals("postgresql") || scheme.equals("postgres"))
                || uri.getHost() == null
                || path.length() < 2
                || path.indexOf('/', 1) >= 0) {
            throw malformed(url);
        }
        return "jdbc:postgresql://" + uri.getRawAuthority() + path
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }

    private static IllegalArgumentException malformed(String url) {
        return new IllegalArgumentException(
                "database must be postgresql://HOST:PORT/DATABASE?user=NAME&password=SECRET, got '" + redacted(url)
                        + "'");
    }

    /** The URL with the value of any password parameter replaced, for messages and logs. */
    public static String redacted(String url) {
        return url.replaceAll("(?i)(password=)[^&]*", "$1***").replaceAll("//([^/@:]*):[^/@]*@", "//$1:***@");
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof SQLException || root.getMessage() != null) {
            return String.valueOf(root.getMessage()).lines().findFirst().orElse("");
        }
        return root.getClass().getSimpleName();
    }

    static void migrate(DataSource dataSource, Dialect dialect) {
        Flyway.configure()
                .dataSource(dataSource)
                .locations(dialect.migrationLocations().toArray(String[]::new))
                .load()
                .migrate();
    }

    public Jdbc jdbc() {
        return jdbc;
    }

    /**
     * On PostgreSQL, starts announcing this node's commits to the other nodes and hearing theirs
     * (LISTEN/NOTIFY on a connection of its own, outside the pool); on the embedded H2, where this
     * is the only node, does nothing. Call once the in-memory views and their reloads are set up.
     */
    public void startChangeFeed(String nodeName) {
        if (listenUrl.isEmpty()) {
            return;
        }
        PGSimpleDataSource listenOn = new PGSimpleDataSource();
        listenOn.setURL(listenUrl.get());
        listenOn.setApplicationName("poolmta-listen-" + nodeName);
        ChangeFeed started = ChangeFeed.postgres(listenOn, dataSource, nodeName);
        jdbc.attach(started);
        feed = started;
    }

    public Dialect dialect() {
        return jdbc.dialect();
    }

    @Override
    public void close() {
        try {
            feed.close();
            // H2: closing the last pooled connection closes the database file (DB_CLOSE_DELAY is 0)
            pool.close();
        } catch (Exception e) {
            throw new StoreException("closing the database failed", e);
        }
    }
}
