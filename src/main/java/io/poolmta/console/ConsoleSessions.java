package io.poolmta.console;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Console sessions, kept in memory (a restart signs everyone out). A session id and its CSRF token
 * are 32 random bytes each. A session ends at sign-out, after {@code idle} without a request, or
 * {@code absolute} after sign-in, whichever comes first; an ended session is forgotten. Time comes
 * from the injected clock. Thread-safe.
 */
public final class ConsoleSessions {
    public static final Duration DEFAULT_IDLE = Duration.ofMinutes(30);
    public static final Duration DEFAULT_ABSOLUTE = Duration.ofHours(12);
    private static final int PRUNE_ABOVE = 10_000;

    /** One signed-in session. */
    public record Session(String id, Principal principal, String csrfToken, Instant createdAt) {}

    private record Entry(Session session, Instant lastSeen) {}

    private final Map<String, Entry> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Duration idle;
    private final Duration absolute;
    private final Clock clock;

    public ConsoleSessions(Duration idle, Duration absolute, Clock clock) {
        this.idle = idle;
        this.absolute = absolute;
        this.clock = clock;
    }

    public Session open(Principal principal) {
        Instant now = clock.instant();
        if (sessions.size() > PRUNE_ABOVE) {
            sessions.values().removeIf(e -> expired(e, now));
        }
        Session session = new Session(randomToken(), principal, randomToken(), now);
        sessions.put(session.id(), new Entry(session, now));
        return session;
    }

    /** The live session with this id, its idle time restarted; empty when unknown or expired. */
    public Optional<Session> find(String id) {
        if (id == null || id.isEmpty()) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Entry entry = sessions.get(id);
        if (entry == null) {
            return Optional.empty();
        }
        if (expired(entry, now)) {
            sessions.remove(id, entry);
            return Optional.empty();
        }
        sessions.replace(id, entry, new Entry(entry.session(), now));
        return Optional.of(entry.session());
    }

    public void close(String id) {
        sessions.remove(id);
    }

    /** A fresh random token (URL- and cookie-safe). */
    public String randomToken() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private boolean expired(Entry entry, Instant now) {
        return !now.isBefore(entry.lastSeen().plus(idle))
                || !now.isBefore(entry.session().createdAt().plus(absolute));
    }
}
