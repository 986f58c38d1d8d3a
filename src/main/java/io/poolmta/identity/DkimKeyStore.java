package io.poolmta.identity;

import java.util.Optional;

/**
 * Where private DKIM keys live, apart from everything an API or a database dump shows: PKCS#8 DER,
 * one per (account, domain, selector). Nothing read from here is ever returned to a caller.
 */
public interface DkimKeyStore {
    void save(String accountId, String domain, String selector, byte[] pkcs8);

    Optional<byte[]> load(String accountId, String domain, String selector);

    /** Removes one key of the domain (an old key after a rotation). */
    void delete(String accountId, String domain, String selector);

    /** Removes every key of the domain. */
    void deleteAll(String accountId, String domain);
}
