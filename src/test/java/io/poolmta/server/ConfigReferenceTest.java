package io.poolmta.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.provider.ProvidersJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The README's configuration reference lists exactly the keys the config file parser accepts, and
 * the fields of a provider entry: a key added to one side only fails here, named.
 */
class ConfigReferenceTest {
    private static final Path README = Path.of("README.md");

    @Test
    void theConfigurationTableListsEveryKeyTheServerAccepts() throws IOException {
        assertSameKeys(
                rows("| key | type | default | meaning |"),
                ServerConfig.knownKeys(),
                "README.md's --config table",
                "ServerConfig's known keys");
    }

    @Test
    void theProviderTableListsEveryFieldOfAProvider() throws IOException {
        assertSameKeys(
                rows("| field | type | default | meaning |"),
                ProvidersJson.PROVIDER_KEYS,
                "README.md's provider field table",
                "ProvidersJson.PROVIDER_KEYS");
    }

    private static void assertSameKeys(Set<String> documented, Set<String> accepted, String doc, String code) {
        List<String> problems = new ArrayList<>();
        for (String key : new TreeSet<>(accepted)) {
            if (!documented.contains(key)) {
                problems.add("'" + key + "' is in " + code + " but has no row in " + doc);
            }
        }
        for (String key : documented) {
            if (!accepted.contains(key)) {
                problems.add("'" + key + "' has a row in " + doc + " but is not in " + code);
            }
        }
        assertThat(problems).as("README.md and the code disagree").isEmpty();
    }

    /** The first cell (a `key`) of every row of the table under {@code header}. */
    private static Set<String> rows(String header) throws IOException {
        List<String> lines = Files.readAllLines(README);
        int at = lines.indexOf(header);
        assertThat(at).as("README.md has a table headed " + header).isNotNegative();
        Set<String> keys = new TreeSet<>();
        for (int i = at + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String cell = lines.get(i).split("\\|")[1].strip();
            assertThat(cell)
                    .as("README.md line " + (i + 1) + " names its key in backticks")
                    .matches("`[^`]+`");
            keys.add(cell.substring(1, cell.length() - 1));
        }
        return keys;
    }
}
