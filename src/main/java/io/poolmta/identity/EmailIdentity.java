package io.poolmta.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A verified (or not yet verified) sender of one account: an email address or a domain. A domain
 * is verified by its DKIM record, so its {@code status} follows {@code dkim.status()}; an address
 * stays PENDING until the link mailed to it is followed ({@link EmailVerification}). {@code operatorVouched} marks one the operator
 * declared verified without DNS. {@code configurationSetName} is the set used for mail from this
 * identity that names none.
 */
public record EmailIdentity(
        String accountId,
        String name,
        IdentityType type,
        Instant createdAt,
        VerificationStatus status,
        boolean operatorVouched,
        DkimAttributes dkim,
        MailFromAttributes mailFrom,
        boolean feedbackForwarding,
        Optional<String> configurationSetName) {

    public EmailIdentity {
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(name);
        Objects.requireNonNull(type);
        Objects.requireNonNull(dkim);
        Objects.requireNonNull(mailFrom);
        Objects.requireNonNull(configurationSetName);
    }

    /** SES's VerifiedForSendingStatus: mail may name this identity as its sender. */
    public boolean verifiedForSending() {
        return status == VerificationStatus.SUCCESS;
    }

    /** The domain the identity is at: the address's domain, or the domain itself. */
    public String domain() {
        return type == IdentityType.DOMAIN ? name : name.substring(name.lastIndexOf('@') + 1);
    }

    /** How it was verified, for the operator: "DNS", "OPERATOR" or "" while it is not. */
    public String verifiedBy() {
        if (!verifiedForSending()) {
            return "";
        }
        return operatorVouched ? "OPERATOR" : type == IdentityType.DOMAIN ? "DNS" : "LINK";
    }

    public EmailIdentity withDkim(DkimAttributes newDkim) {
        VerificationStatus newStatus = type == IdentityType.DOMAIN && !operatorVouched ? newDkim.status() : status;
        return new EmailIdentity(
                accountId,
                name,
                type,
                createdAt,
                newStatus,
                operatorVouched,
                newDkim,
                mailFrom,
                feedbackForwarding,
                configurationSetName);
    }

    public EmailIdentity withMailFrom(MailFromAttributes attributes) {
        return new EmailIdentity(
                accountId,
                name,
                type,
                createdAt,
                status,
                operatorVouched,
                dkim,
                attributes,
                feedbackForwarding,
                configurationSetName);
    }

    public EmailIdentity withFeedbackForwarding(boolean enabled) {
        return new EmailIdentity(
                accountId,
                name,
                type,
                createdAt,
                status,
                operatorVouched,
                dkim,
                mailFrom,
                enabled,
                configurationSetName);
    }

    public EmailIdentity withConfigurationSetName(Optional<String> set) {
        return new EmailIdentity(
                accountId, name, type, createdAt, status, operatorVouched, dkim, mailFrom, feedbackForwarding, set);
    }

    /** An email address verified by following the link mailed to it. */
    public EmailIdentity verifiedByLink() {
        return new EmailIdentity(
                accountId,
                name,
                type,
                createdAt,
                VerificationStatus.SUCCESS,
                operatorVouched,
                dkim,
                mailFrom,
                feedbackForwarding,
                configurationSetName);
    }

    /** Verified by the operator's word: the identity, and a domain's DKIM status with it. */
    public EmailIdentity vouched(Instant now) {
        DkimAttributes newDkim = type == IdentityType.DOMAIN ? dkim.vouched(now) : dkim;
        return new EmailIdentity(
                accountId,
                name,
                type,
                createdAt,
                VerificationStatus.SUCCESS,
                true,
                newDkim,
                mailFrom,
                feedbackForwarding,
                configurationSetName);
    }
}
