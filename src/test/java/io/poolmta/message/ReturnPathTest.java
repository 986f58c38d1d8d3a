package io.poolmta.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ReturnPathTest {
    private final String id = new MessageIds(Clock.fixed(Instant.parse("2026-12-07T00:00:00Z"), ZoneOffset.UTC)).next();

    @Test
    void anAddressReadsBackAsTheSameReturnPath() {
        ReturnPath path = new ReturnPath(id, "Bounces.MTA.example.com");

        assertThat(path.address()).isEqualTo(id + "@bounces.mta.example.com");
        assertThat(ReturnPath.parse(path.address())).contains(path);
        assertThat(ReturnPath.parse("<" + path.address() + ">")).contains(path);
    }

    @Test
    void addressesThatAreNotPoolMtaReturnPathsAreEmpty() {
        assertThat(ReturnPath.parse(null)).isEmpty();
        assertThat(ReturnPath.parse("")).isEmpty();
        assertThat(ReturnPath.parse("sender@example.com")).isEmpty();
        assertThat(ReturnPath.parse(id)).isEmpty();
        assertThat(ReturnPath.parse(id + "@")).isEmpty();
        assertThat(ReturnPath.parse("x" + id + "@bounces.example.com")).isEmpty();
        assertThat(ReturnPath.parse(id.toUpperCase() + "@bounces.example.com")).isEmpty();
    }

    @Test
    void aReturnPathNeedsAMessageIdAndADomain() {
        assertThatThrownBy(() -> new ReturnPath("abc", "example.com")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ReturnPath(id, "")).isInstanceOf(IllegalArgumentException.class);
    }
}
