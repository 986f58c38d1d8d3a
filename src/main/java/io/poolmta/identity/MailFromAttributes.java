package io.poolmta.identity;

import java.util.Optional;

/**
 * A custom MAIL FROM domain (a subdomain of the identity's domain) and what to do when its MX record
 * is missing. Without a domain the status is meaningless and the envelope sender stays on the
 * operator's bounce domain.
 */
public record MailFromAttributes(
        Optional<String> domain, VerificationStatus status, BehaviorOnMxFailure behaviorOnMxFailure) {
    public static final MailFromAttributes NONE = new MailFromAttributes(
            Optional.empty(), VerificationStatus.NOT_STARTED, BehaviorOnMxFailure.USE_DEFAULT_VALUE);
}
