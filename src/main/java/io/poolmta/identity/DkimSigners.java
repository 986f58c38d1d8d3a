package io.poolmta.identity;

import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The signer of each domain identity, built on first use from its stored key and kept: a message
 * costs one signature, never a key parse. Keyed by (account, domain, selector), so a new key
 * (a new selector) is loaded on its first use and the old signer is dropped with {@link #forget}.
 * Only a domain whose DKIM status is SUCCESS with signing on gets a signer.
 */
public final class DkimSigners {
    private final IdentityStore identities;
    private final DkimKeyStore keys;
    private final Clock clock;
    private final ConcurrentMap<String, DkimSigner> signers = new ConcurrentHashMap<>();

    public DkimSigners(IdentityStore identities, DkimKeyStore keys, Clock clock) {
        this.identities = identities;
        this.keys = keys;
        this.clock = clock;
    }

    /** The signer for mail from the account's domain identity, when it signs. */
    public Optional<DkimSigner> forDomain(String accountId, String domain) {
        Optional<EmailIdentity> identity = identities.get(accountId, domain);
        if (identity.isEmpty() || identity.get().type() != IdentityType.DOMAIN) {
            return Optional.empty();
        }
        DkimAttributes dkim = identity.get().dkim();
        if (!dkim.signingEnabled()
                || dkim.status() != VerificationStatus.SUCCESS
                || dkim.selector().isEmpty()) {
            return Optional.empty();
        }
        String selector = dkim.selector().get();
        DkimSigner signer = signers.computeIfAbsent(
                accountId + "/" + domain + "/" + selector,
                k -> keys.load(accountId, domain, selector)
                        .map(der -> new DkimSigner(domain, selector, DkimKeys.readPkcs8(der), clock))
                        .orElse(null));
        return Optional.ofNullable(signer);
    }

    /** Drops the domain's signers (its key changed or it was deleted). */
    public void forget(String accountId, String domain) {
        signers.keySet().removeIf(k -> k.startsWith(accountId + "/" + domain + "/"));
    }
}
