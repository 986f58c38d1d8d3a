package io.poolmta.identity;

import java.time.Duration;
import java.time.Instant;

/**
 * SES's rules for a status that follows DNS records (DKIM, MAIL FROM): PENDING becomes SUCCESS when
 * the records are found and FAILED when they have not been found {@link #GIVE_UP_AFTER} after the
 * status began; SUCCESS becomes TEMPORARY_FAILURE when they are gone, which becomes SUCCESS when
 * they are back or FAILED after 72 more hours. FAILED and NOT_STARTED stay.
 */
final class RecordStatus {
    /** How long records may stay missing before the status is FAILED. */
    static final Duration GIVE_UP_AFTER = Duration.ofHours(72);

    private RecordStatus() {}

    static VerificationStatus next(VerificationStatus status, Instant since, boolean found, Instant now) {
        boolean expired = !since.plus(GIVE_UP_AFTER).isAfter(now);
        return switch (status) {
            case PENDING ->
                found ? VerificationStatus.SUCCESS : expired ? VerificationStatus.FAILED : VerificationStatus.PENDING;
            case SUCCESS -> found ? VerificationStatus.SUCCESS : VerificationStatus.TEMPORARY_FAILURE;
            case TEMPORARY_FAILURE ->
                found
                        ? VerificationStatus.SUCCESS
                        : expired ? VerificationStatus.FAILED : VerificationStatus.TEMPORARY_FAILURE;
            case FAILED, NOT_STARTED -> status;
        };
    }
}
