package io.poolmta.identity;

import java.time.Instant;
import java.util.Optional;

/**
 * A custom MAIL FROM domain (a subdomain of the identity's domain) and what to do when its MX record
 * is missing. Without a domain the status is meaningless and the envelope sender stays on the
 * operator's bounce domain. {@code status} is SES's MailFromDomainStatus, checked by
 * {@link MailFromVerification}: PENDING until the domain's MX (pointing at the operator's feedback
 * host) and SPF records are found; {@code statusSince} is when it last changed and {@code info} the
 * latest lookup.
 */
public record MailFromAttributes(
        Optional<String> domain,
        VerificationStatus status,
        BehaviorOnMxFailure behaviorOnMxFailure,
        Instant statusSince,
        VerificationInfo info) {
    public static final MailFromAttributes NONE = new MailFromAttributes(
            Optional.empty(), VerificationStatus.NOT_STARTED, BehaviorOnMxFailure.USE_DEFAULT_VALUE);

    /** Attributes with no lookup yet, whose status began at the epoch. */
    public MailFromAttributes(Optional<String> domain, VerificationStatus status, BehaviorOnMxFailure behavior) {
        this(domain, status, behavior, Instant.EPOCH, VerificationInfo.NONE);
    }

    /** The result of a check: a new status (statusSince moves only when it changes) and the lookup's outcome. */
    public MailFromAttributes checked(VerificationStatus newStatus, Instant now, Optional<VerificationError> failure) {
        return new MailFromAttributes(
                domain,
                newStatus,
                behaviorOnMxFailure,
                newStatus == status ? statusSince : now,
                info.checked(now, failure));
    }
}
