package io.poolmta.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code nodeLink}: off by default; HOST:PORT in the config file turns the node link on. */
class NodeLinkConfigTest {
    @TempDir
    Path dir;

    @Test
    void offByDefault() {
        assertThat(ServerConfig.defaults().cluster().nodeLink()).isEmpty();
    }

    @Test
    void theConfigFileSetsItAndABadOneStopsTheStart() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"nodeLink\": \"127.0.0.1:2700\"}");
        assertThat(ServerConfig.fromFile(file).cluster().nodeLink())
                .isEqualTo(Optional.of(new HostPort("127.0.0.1", 2700)));
        Files.writeString(file, "{\"nodeLink\": 2700}");
        assertThatThrownBy(() -> ServerConfig.fromFile(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("nodeLink");
    }
}
