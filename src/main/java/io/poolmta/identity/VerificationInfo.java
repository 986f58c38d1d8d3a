package io.poolmta.identity;

import java.time.Instant;
import java.util.Optional;

/** When the records were last looked up, last found, and why the latest lookup failed. */
public record VerificationInfo(
        Optional<Instant> lastChecked, Optional<Instant> lastSuccess, Optional<VerificationError> error) {
    public static final VerificationInfo NONE =
            new VerificationInfo(Optional.empty(), Optional.empty(), Optional.empty());

    public VerificationInfo checked(Instant at, Optional<VerificationError> failure) {
        return new VerificationInfo(Optional.of(at), failure.isEmpty() ? Optional.of(at) : lastSuccess, failure);
    }
}
