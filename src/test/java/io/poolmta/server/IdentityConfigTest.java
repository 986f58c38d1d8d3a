package io.poolmta.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The identity keys of the config file: feedbackHost, verificationFrom, publicUrl, and their defaults. */
class IdentityConfigTest {
    @TempDir
    Path dir;

    private ServerConfig read(String json) throws Exception {
        Path file = dir.resolve("config.json");
        Files.writeString(file, json);
        return ServerConfig.fromFile(file);
    }

    @Test
    void keysAreReadAndDefaultsFollowTheHostName() throws Exception {
        ServerConfig defaults = read("{\"hostname\": \"mta.example.net\"}");
        assertThat(defaults.identity().feedbackHostOr(defaults.hostName())).isEqualTo("mta.example.net");
        assertThat(defaults.identity().verificationFromOr(defaults.hostName())).isEqualTo("no-reply@mta.example.net");
        assertThat(defaults.identity().publicUrl()).isEmpty();

        ServerConfig set = read("{\"feedbackHost\": \"fb.mta.example.net\", \"verificationFrom\":"
                + " \"verify@mta.example.net\", \"publicUrl\": \"https://mta.example.net\"}");
        assertThat(set.identity().feedbackHostOr(set.hostName())).isEqualTo("fb.mta.example.net");
        assertThat(set.identity().verificationFromOr(set.hostName())).isEqualTo("verify@mta.example.net");
        assertThat(set.identity().publicUrl()).isEqualTo(Optional.of("https://mta.example.net"));
    }

    @Test
    void badValuesAreRefusedWithTheirKey() {
        assertThatThrownBy(() -> read("{\"publicUrl\": \"ftp://mta.example.net\"}"))
                .hasMessageContaining("publicUrl");
        assertThatThrownBy(() -> read("{\"verificationFrom\": \"Verify <v@mta.example.net>\"}"))
                .hasMessageContaining("verificationFrom");
        assertThatThrownBy(() -> read("{\"feedbackHost\": 5}")).hasMessageContaining("feedbackHost");
        assertThatThrownBy(() -> read("{\"feedbackHost\": \"\"}")).hasMessageContaining("feedbackHost");
    }
}
