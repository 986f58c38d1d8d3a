package io.poolmta.account;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Durable accounts, their access keys and the details they gave (PutAccountDetails). */
public interface AccountStore {
    void insert(Account account);

    void update(Account account);

    Optional<Account> byId(String id);

    Optional<Account> byName(String name);

    List<Account> all();

    void insertKey(AccessKey key);

    Optional<AccessKey> key(String accessKeyId);

    Optional<AccountDetails> details(String accountId);

    void putDetails(String accountId, AccountDetails details);

    /** Every account's details, by account id. */
    Map<String, AccountDetails> allDetails();
}
