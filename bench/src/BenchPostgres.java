import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;

/**
 * The PostgreSQL of bench/cluster-cpu.sh: the embedded PostgreSQL binaries PoolMTA's tests and
 * {@code poolmta demo --nodes N} use (in target/poolmta.jar), started on 127.0.0.1 with a fresh
 * data directory and durable settings (fsync, synchronous_commit and full_page_writes on: the
 * library's defaults for tests turn them off, which a production database would not), and an
 * empty database for each name given. Prints the port on stdout, then halts without stopping the
 * server: no JVM stays in the database's cgroup, so its CPU is PostgreSQL's alone. The script
 * stops the postmaster itself (SIGINT, PostgreSQL's fast shutdown; its pid is the first line of
 * DATA_DIR/postmaster.pid).
 *
 * <pre>
 *   java -cp target/poolmta.jar:DIR BenchPostgres DATA_DIR LOG_FILE DATABASE...
 * </pre>
 */
public final class BenchPostgres {
    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: BenchPostgres DATA_DIR LOG_FILE DATABASE...");
        }
        File log = Path.of(args[1]).toFile();
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(Path.of(args[0]))
                .setCleanDataDirectory(true)
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on")
                .setServerConfig("full_page_writes", "on")
                .setOutputRedirector(Redirect.appendTo(log))
                .setErrorRedirector(Redirect.appendTo(log))
                .start();
        try (Connection c = postgres.getPostgresDatabase().getConnection();
                Statement s = c.createStatement()) {
            for (int i = 2; i < args.length; i++) {
                s.execute("CREATE DATABASE \"" + args[i].replace("\"", "") + "\"");
            }
            try (var r = s.executeQuery("SHOW fsync")) {
                r.next();
                System.err.println("PostgreSQL on 127.0.0.1:" + postgres.getPort() + ", fsync " + r.getString(1));
            }
        }
        System.out.println(postgres.getPort());
        System.out.flush();
        Runtime.getRuntime().halt(0); // skips the library's shutdown hook, which would stop the server
    }
}
