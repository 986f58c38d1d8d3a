package io.poolmta.account;

import io.poolmta.common.PoolMtaException;
import io.poolmta.common.Transactions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Creates accounts with their first SigV4 key and changes account-wide settings. Account names are
 * unique, 1–64 characters of letters, digits, '.', '_' and '-'. Keys are random: an "AKPM" prefix
 * plus 16 characters, and a 40-character secret.
 */
public final class AccountService {
    private static final Pattern NAME = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
    private static final String KEY_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    private static final String SECRET_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    private final AccountStore store;
    private final Transactions tx;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    public AccountService(AccountStore store, Transactions tx, Clock clock) {
        this.store = store;
        this.tx = tx;
        this.clock = clock;
    }

    public NewAccount create(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw PoolMtaException.badRequest(
                    "Account name must be 1-64 characters of letters, digits, '.', '_' or '-'.");
        }
        return tx.write(() -> {
            if (store.byName(name).isPresent()) {
                throw PoolMtaException.alreadyExists("Account " + name + " already exists.");
            }
            String id;
            do {
                id = String.format("%012d", Math.floorMod(random.nextLong(), 1_000_000_000_000L));
            } while (store.byId(id).isPresent());
            Account account = new Account(id, name, clock.instant(), true, true, SendQuota.DEFAULT);
            store.insert(account);
            AccessKey key =
                    new AccessKey("AKPM" + randomString(KEY_ALPHABET, 16), randomString(SECRET_ALPHABET, 40), id);
            store.insertKey(key);
            return new NewAccount(account, key);
        });
    }

    public Account get(String id) {
        return store.byId(id).orElseThrow(() -> PoolMtaException.notFound("Account " + id + " does not exist."));
    }

    public Account byName(String name) {
        return store.byName(name).orElseThrow(() -> PoolMtaException.notFound("Account " + name + " does not exist."));
    }

    public List<Account> all() {
        return store.all();
    }

    public Optional<AccessKey> key(String accessKeyId) {
        return store.key(accessKeyId);
    }

    public void setAutoWarmup(String accountId, boolean enabled) {
        tx.run(() -> store.update(get(accountId).withAutoWarmup(enabled)));
    }

    private String randomString(String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
