package io.poolmta.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code bounceDomain}: bounces. and the host name by default, or the operator's, in lower case. */
class BounceDomainConfigTest {
    @TempDir
    Path dir;

    @Test
    void theDefaultFollowsTheHostName() {
        assertThat(ServerConfig.defaults().bounceDomain()).isEqualTo("bounces.poolmta.localhost");
        assertThat(ServerConfig.defaults().withHostName("MTA.Example.com").bounceDomain())
                .isEqualTo("bounces.mta.example.com");
        assertThat(ServerConfig.defaults()
                        .withBounceDomain("rp.example.net")
                        .withHostName("mta.example.com")
                        .bounceDomain())
                .isEqualTo("rp.example.net");
    }

    @Test
    void theConfigFileSetsItAndABadOneStopsTheStart() throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, "{\"hostname\": \"mta.example.com\", \"bounceDomain\": \"Bounces.Example.ORG\"}");
        assertThat(ServerConfig.fromFile(file).bounceDomain()).isEqualTo("bounces.example.org");
        Files.writeString(file, "{\"bounceDomain\": \"not a domain\"}");
        assertThatThrownBy(() -> ServerConfig.fromFile(file))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bounceDomain");
    }
}
