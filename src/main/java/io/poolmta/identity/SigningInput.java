package io.poolmta.identity;

import java.util.Optional;

/**
 * SES's DkimSigningAttributes: a key length for a key PoolMTA makes (AWS_SES), or a selector and
 * private key (base64) brought by the account (EXTERNAL). {@code origin} is given by
 * CreateEmailIdentity's {@code DomainSigningAttributesOrigin}, or implied by the fields present.
 */
public record SigningInput(
        Optional<SigningOrigin> origin,
        Optional<String> selector,
        Optional<String> privateKey,
        Optional<DkimKeyLength> nextKeyLength) {

    /** The origin these fields ask for. */
    public SigningOrigin impliedOrigin() {
        return origin.orElse(
                selector.isPresent() || privateKey.isPresent() ? SigningOrigin.EXTERNAL : SigningOrigin.AWS_SES);
    }

    /** Omits the key from any printed form. */
    @Override
    public String toString() {
        return "SigningInput[origin=" + origin + ", selector=" + selector + ", privateKey="
                + (privateKey.isPresent() ? "(given)" : "(none)") + ", nextKeyLength=" + nextKeyLength + "]";
    }
}
