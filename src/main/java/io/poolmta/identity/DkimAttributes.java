package io.poolmta.identity;

import java.time.Instant;
import java.util.Optional;

/**
 * An identity's DKIM state. A domain has one current key, and during a {@link KeyRotation} a next
 * one published beside it. The current key: its {@code selector} (the SES token), its public
 * key (base64 SubjectPublicKeyInfo, for the DNS record), who made it and its size. The private key
 * is never here: it stays in the {@link DkimKeyStore}. {@code statusSince} is when {@code status}
 * last changed (PENDING and TEMPORARY_FAILURE turn FAILED 72 hours after it). An email-address
 * identity has no key of its own: NOT_STARTED, no selector.
 */
public record DkimAttributes(
        boolean signingEnabled,
        VerificationStatus status,
        Instant statusSince,
        SigningOrigin origin,
        Optional<String> selector,
        Optional<String> publicKey,
        DkimKeyLength nextKeyLength,
        Optional<DkimKeyLength> currentKeyLength,
        Optional<Instant> lastKeyGeneration,
        VerificationInfo info,
        Optional<KeyRotation> rotation) {

    /** The published key, when the identity has one. */
    public Optional<DkimKey> key() {
        if (selector.isEmpty() || publicKey.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(
                new DkimKey(selector.get(), currentKeyLength.orElse(DkimKeyLength.DEFAULT), publicKey.get()));
    }

    /** An email-address identity: signing follows its domain, which has its own identity. */
    public static DkimAttributes none(Instant now) {
        return new DkimAttributes(
                false,
                VerificationStatus.NOT_STARTED,
                now,
                SigningOrigin.AWS_SES,
                Optional.empty(),
                Optional.empty(),
                DkimKeyLength.DEFAULT,
                Optional.empty(),
                Optional.empty(),
                VerificationInfo.NONE,
                Optional.empty());
    }

    /** A new key, waiting for its record to be published. */
    public DkimAttributes withKey(DkimKey key, SigningOrigin newOrigin, Instant now) {
        return new DkimAttributes(
                signingEnabled,
                VerificationStatus.PENDING,
                now,
                newOrigin,
                Optional.of(key.selector()),
                Optional.of(key.publicKeyBase64()),
                newOrigin == SigningOrigin.AWS_SES ? nextKeyLength : DkimKeyLength.DEFAULT,
                Optional.of(key.length()),
                newOrigin == SigningOrigin.AWS_SES ? Optional.of(now) : Optional.empty(),
                VerificationInfo.NONE,
                Optional.empty());
    }

    public DkimAttributes withSigningEnabled(boolean enabled) {
        return new DkimAttributes(
                enabled,
                status,
                statusSince,
                origin,
                selector,
                publicKey,
                nextKeyLength,
                currentKeyLength,
                lastKeyGeneration,
                info,
                rotation);
    }

    public DkimAttributes withNextKeyLength(DkimKeyLength length) {
        return new DkimAttributes(
                signingEnabled,
                status,
                statusSince,
                origin,
                selector,
                publicKey,
                length,
                currentKeyLength,
                lastKeyGeneration,
                info,
                rotation);
    }

    /** The result of a check: a new status (statusSince moves only when it changes) and the lookup's outcome. */
    public DkimAttributes checked(VerificationStatus newStatus, Instant now, Optional<VerificationError> failure) {
        return new DkimAttributes(
                signingEnabled,
                newStatus,
                newStatus == status ? statusSince : now,
                origin,
                selector,
                publicKey,
                nextKeyLength,
                currentKeyLength,
                lastKeyGeneration,
                info.checked(now, failure),
                rotation);
    }

    /** Marked verified by the operator, without DNS. */
    public DkimAttributes vouched(Instant now) {
        return new DkimAttributes(
                signingEnabled,
                VerificationStatus.SUCCESS,
                status == VerificationStatus.SUCCESS ? statusSince : now,
                origin,
                selector,
                publicKey,
                nextKeyLength,
                currentKeyLength,
                lastKeyGeneration,
                info,
                rotation);
    }

    /** Starts (or restarts) a rotation to {@code next}; the current key keeps signing. */
    public DkimAttributes withRotation(KeyRotation next) {
        return new DkimAttributes(
                signingEnabled,
                status,
                statusSince,
                origin,
                selector,
                publicKey,
                next.key().length(),
                currentKeyLength,
                lastKeyGeneration,
                info,
                Optional.of(next));
    }

    /** The rotation's key becomes the current key (its record was found); the status stays. */
    public DkimAttributes rotated(Instant now) {
        KeyRotation next = rotation.orElseThrow();
        return new DkimAttributes(
                signingEnabled,
                status,
                statusSince,
                SigningOrigin.AWS_SES,
                Optional.of(next.key().selector()),
                Optional.of(next.key().publicKeyBase64()),
                nextKeyLength,
                Optional.of(next.key().length()),
                Optional.of(next.made()),
                info.checked(now, Optional.empty()),
                Optional.empty());
    }
}
