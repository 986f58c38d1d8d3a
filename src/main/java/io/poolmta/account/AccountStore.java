package io.poolmta.account;

import java.util.List;
import java.util.Optional;

/** Durable accounts and access keys. */
public interface AccountStore {
    void insert(Account account);

    void update(Account account);

    Optional<Account> byId(String id);

    Optional<Account> byName(String name);

    List<Account> all();

    void insertKey(AccessKey key);

    Optional<AccessKey> key(String accessKeyId);
}
