package io.poolmta;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * DESIGN.md §4: the domain imports nothing from HTTP, SMTP sockets, JDBC or the adapters; the
 * store and the API depend on the domain, never the reverse. Checked on the source imports.
 */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/io/poolmta");
    private static final List<String> DOMAIN = List.of("account", "ip", "pool", "configset", "warmup", "tag", "route", "common", "message", "routing", "sending", "managed", "identity");
    private static final List<String> FORBIDDEN = List.of("import io.poolmta.api", "import io.poolmta.store",
            "import io.poolmta.cli", "import io.poolmta.server", "import java.sql", "import javax.sql",
            "import com.sun.net", "import java.net.http", "import com.fasterxml", "import org.h2", "import org.flywaydb",
            "import picocli");

    @Test
    void domainPackagesImportNoAdapter() throws IOException {
        List<String> violations = new ArrayList<>();
        for (String pkg : DOMAIN) {
            try (Stream<Path> files = Files.walk(MAIN.resolve(pkg))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    for (String line : Files.readAllLines(file)) {
                        if (FORBIDDEN.stream().anyMatch(line::startsWith)) {
                            violations.add(MAIN.relativize(file) + ": " + line);
                        }
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void everyPackageSaysItsJob() throws IOException {
        try (Stream<Path> dirs = Files.walk(MAIN)) {
            List<Path> packages = dirs.filter(Files::isDirectory)
                    .filter(d -> hasJava(d)).toList();
            assertThat(packages).isNotEmpty().allSatisfy(d -> assertThat(d.resolve("package-info.java")).exists());
        }
    }

    private static boolean hasJava(Path dir) {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(f -> f.toString().endsWith(".java"));
        } catch (IOException e) {
            return false;
        }
    }
}
