package io.poolmta.identity;

import java.util.List;
import java.util.Optional;

/** Durable identities, by account and name. */
public interface IdentityStore {
    void insert(EmailIdentity identity);

    void update(EmailIdentity identity);

    void delete(String accountId, String name);

    Optional<EmailIdentity> get(String accountId, String name);

    /** The account's identities, sorted by name. */
    List<EmailIdentity> ofAccount(String accountId);

    /** Every account's identities (for the MAIL FROM checks). */
    List<EmailIdentity> all();

    /** Every account's domain identities (for the DNS checks). */
    List<EmailIdentity> domains();
}
