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
        return identities.get(accountId, domain).flatMap(this::forIdentity);
    }

    /** The signer of a domain identity already at hand, when it signs (no store lookup). */
    public Optional<DkimSigner> forIdentity(EmailIdentity identity) {
        if (!signs(identity)) {
            return Optional.empty();
        }
        String accountId = identity.accountId();
        String domain = identity.name();
        String selector = identity.dkim().selector().get();
        DkimSigner signer = signers.computeIfAbsent(
                accountId + "/" + domain + "/" + selector,
                k -> keys.load(accountId, domain, selector)
                        .map(der -> new DkimSigner(domain, selector, DkimKeys.readPkcs8(der), clock))
                        .orElse(null));
        return Optional.ofNullable(signer);
    }

    /** A domain identity whose DKIM status is SUCCESS, with signing on and a key. */
    public static boolean signs(EmailIdentity identity) {
        DkimAttributes dkim = identity.dkim();
        return identity.type() == IdentityType.DOMAIN
                && dkim.signingEnabled()
                && dkim.status() == VerificationStatus.SUCCESS
                && dkim.selector().isPresent();
    }

    /**
     * Drops every signer, for a change another node made to an identity (a key of the same selector
     * given again, a deletion); each is built again from its key on its next use.
     */
    public void forgetAll() {
        signers.clear();
    }

    /** Drops the domain's signers (its key changed or it was deleted). */
    public void forget(String accountId, String domain) {
        signers.keySet().removeIf(k -> k.startsWith(accountId + "/" + domain + "/"));
    }
}
