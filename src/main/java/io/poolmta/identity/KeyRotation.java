package io.poolmta.identity;

import java.time.Instant;
import java.util.Objects;

/**
 * A DKIM key rotation under way: the next key, under its own selector, made at {@code made}. Its
 * record is published beside the current one; the current key keeps signing until the next key's
 * record is found, then the next key becomes the current one.
 */
public record KeyRotation(DkimKey key, Instant made) {
    public KeyRotation {
        Objects.requireNonNull(key);
        Objects.requireNonNull(made);
    }
}
