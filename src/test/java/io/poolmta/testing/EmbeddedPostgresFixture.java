package io.poolmta.testing;

import io.poolmta.store.Database;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One embedded PostgreSQL server per test JVM (the real server binaries, listening on loopback),
 * started at first use and stopped when the JVM exits; each test takes a fresh database of its own
 * from it, so tests never see each other's rows.
 */
public final class EmbeddedPostgresFixture {
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres server;
    /** A database migrated once to the current schema, copied by {@link #migratedDatabase}. */
    private static String template;

    private EmbeddedPostgresFixture() {}

    /** The shared server, started on first call. */
    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            try {
                EmbeddedPostgres started = EmbeddedPostgres.builder()
                        .setServerConfig("listen_addresses", "127.0.0.1")
                        .setServerConfig("fsync", "off")
                        .setServerConfig("synchronous_commit", "off")
                        .setServerConfig("full_page_writes", "off")
                        .setServerConfig("max_connections", "300")
                        .start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        started.close();
                    } catch (IOException e) {
                        // the JVM is exiting: the server's directory is temporary anyway
                    }
                }));
                server = started;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL", e);
            }
        }
        return server;
    }

    /** A new, empty database on the shared server, as a {@code --database} URL. */
    public static String freshDatabase() {
        return create("");
    }

    /**
     * A new database already migrated to the current schema: a copy of one the migrations ran on
     * once per JVM, which takes PostgreSQL a fraction of the time the migrations take. For tests
     * that start many servers on fresh databases (the cluster mode of {@link TestServer}); the
     * migrations themselves are tested on {@link #freshDatabase()}s.
     */
    public static synchronized String migratedDatabase() {
        if (template == null) {
            String url = freshDatabase();
            try (Database migrated = Database.open(url)) {
                template = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
            }
        }
        // the migrating pool's connections may still be closing: PostgreSQL refuses to copy until then
        for (int attempt = 1; ; attempt++) {
            try {
                return create(" TEMPLATE " + template);
            } catch (IllegalStateException e) {
                if (attempt == 50) {
                    throw e;
                }
                sleep();
            }
        }
    }

    /**
     * Drops a database {@link #migratedDatabase} made, once its servers are stopped, so that a
     * JVM that made hundreds of them does not leave gigabytes for the server's exit to delete.
     */
    public static void drop(String url) {
        String name = url.substring(url.lastIndexOf('/') + 1, url.indexOf('?'));
        try (Connection c = server().getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("cannot drop database " + name, e);
        }
    }

    private static String create(String options) {
        EmbeddedPostgres pg = server();
        String name = "poolmta_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = pg.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            s.execute("CREATE DATABASE " + name + options);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create database " + name, e);
        }
        return "postgresql://127.0.0.1:" + pg.getPort() + "/" + name + "?user=postgres";
    }

    private static void sleep() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
