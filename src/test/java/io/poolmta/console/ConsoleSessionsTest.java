package io.poolmta.console;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ConsoleSessionsTest {
    MutableClock clock = MutableClock.startingNow();
    ConsoleSessions sessions = new ConsoleSessions(Duration.ofMinutes(30), Duration.ofHours(12), clock);

    @Test
    void aSessionEndsAfterItsIdleTime() {
        ConsoleSessions.Session s = sessions.open(Principal.account("111111111111", "acme"));
        clock.advance(Duration.ofMinutes(29));
        assertThat(sessions.find(s.id())).contains(s);
        clock.advance(Duration.ofMinutes(29)); // idle time restarts on each request
        assertThat(sessions.find(s.id())).contains(s);
        clock.advance(Duration.ofMinutes(30));
        assertThat(sessions.find(s.id())).isEmpty();
    }

    @Test
    void aSessionEndsAtItsAbsoluteExpiryEvenWhileInUse() {
        ConsoleSessions.Session s = sessions.open(Principal.theOperator());
        for (int i = 0; i < 24; i++) { // 24 × 29 min = 11 h 36 min
            clock.advance(Duration.ofMinutes(29));
            assertThat(sessions.find(s.id())).isPresent();
        }
        clock.advance(Duration.ofMinutes(29)); // 25 × 29 min > 12 h
        assertThat(sessions.find(s.id())).isEmpty();
    }

    @Test
    void signOutEndsTheSessionAndTokensAreUnguessable() {
        ConsoleSessions.Session s = sessions.open(Principal.theOperator());
        assertThat(s.id()).hasSize(43).isNotEqualTo(s.csrfToken());
        sessions.close(s.id());
        assertThat(sessions.find(s.id())).isEmpty();
        assertThat(sessions.find("")).isEmpty();
    }
}
