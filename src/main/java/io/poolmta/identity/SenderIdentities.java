package io.poolmta.identity;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Which verified identities of an account cover a sender address, as SES decides it: the address
 * itself (local part as written, domain in any case), else its domain, else a parent domain of it
 * (down to two labels). Reads the {@link IdentityStore}'s in-memory view, which is refreshed after
 * every committed change to an identity, so a message costs a few map lookups and never a query;
 * a status change (DNS check, operator vouching, deletion) counts from the next message on. Also
 * gives the DKIM signer for a From address: the most specific covering domain identity that signs,
 * from {@link DkimSigners}' per-key cache.
 */
public final class SenderIdentities {
    private final IdentityStore store;
    private final DkimSigners signers;

    public SenderIdentities(IdentityStore store, DkimSigners signers) {
        this.store = store;
        this.signers = signers;
    }

    /** The verified identities covering {@code address}, most specific first; empty when none does. */
    public List<EmailIdentity> covering(String accountId, String address) {
        int at = address.lastIndexOf('@');
        if (at <= 0 || at == address.length() - 1) {
            return List.of();
        }
        String domain = address.substring(at + 1).toLowerCase(Locale.ROOT);
        List<EmailIdentity> out = new ArrayList<>(2);
        add(out, accountId, address.substring(0, at + 1) + domain);
        String name = domain;
        while (true) {
            add(out, accountId, name);
            int dot = name.indexOf('.');
            if (dot < 0 || name.indexOf('.', dot + 1) < 0) {
                return out; // a parent needs two labels: no identity is a top-level domain
            }
            name = name.substring(dot + 1);
        }
    }

    /** Whether a verified identity of the account covers {@code address}. */
    public boolean verified(String accountId, String address) {
        return !covering(accountId, address).isEmpty();
    }

    /** The signer for mail with this From address: the first covering domain identity that signs. */
    public Optional<DkimSigner> signerFor(List<EmailIdentity> covering) {
        for (EmailIdentity identity : covering) {
            if (DkimSigners.signs(identity)) {
                return signers.forIdentity(identity);
            }
        }
        return Optional.empty();
    }

    private void add(List<EmailIdentity> out, String accountId, String name) {
        store.get(accountId, name).filter(EmailIdentity::verifiedForSending).ifPresent(out::add);
    }
}
