package io.poolmta.account;

import io.poolmta.common.ErrorKind;
import io.poolmta.common.PoolMtaException;
import io.poolmta.common.Transactions;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Creates accounts with their first SigV4 key and changes account-wide settings. Account names are
 * unique, 1–64 characters of letters, digits, '.', '_' and '-'. Keys are random: an "AKPM" prefix
 * plus 16 characters, and a 40-character secret. A new account starts in the sandbox
 * ({@link SendQuota#SANDBOX}, mail only to its verified identities); it may ask for production
 * access (PutAccountDetails: one request PENDING at a time, CONFLICT while one is), which the
 * operator grants with a quota. Sending can be paused by the account (and resumed by it) or by the
 * operator (resumed only by the operator).
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
            Account account = new Account(id, name, clock.instant(), true, true, false, false, SendQuota.SANDBOX);
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

    /**
     * Takes the account out of the sandbox with the given limits (each -1 for none); a limit not
     * given keeps the account's production limit, or {@link SendQuota#PRODUCTION}'s when it had
     * none. A pending production-access request becomes GRANTED.
     */
    public Account grantProductionAccess(String name, Optional<Long> max24HourSend, Optional<Double> maxSendRate) {
        return tx.write(() -> {
            Account account = byName(name);
            SendQuota base = account.productionAccessEnabled() ? account.sendQuota() : SendQuota.PRODUCTION;
            SendQuota quota;
            try {
                quota = new SendQuota(
                        max24HourSend.orElse(base.max24HourSend()), maxSendRate.orElse(base.maxSendRate()));
            } catch (IllegalArgumentException e) {
                throw PoolMtaException.badRequest(e.getMessage() + ".");
            }
            Account granted = account.withProductionAccess(quota);
            store.update(granted);
            store.details(account.id())
                    .filter(AccountDetails::pending)
                    .ifPresent(d -> store.putDetails(account.id(), d.withReview(Optional.of(ReviewStatus.GRANTED))));
            return granted;
        });
    }

    /**
     * Records what the account says about its sending; with {@code requestProductionAccess} it
     * asks for production access (PENDING; CONFLICT while an earlier request is pending). An
     * account that already has production access keeps it, its review GRANTED.
     */
    public AccountDetails putDetails(String accountId, AccountDetails details, boolean requestProductionAccess) {
        return tx.write(() -> {
            Account account = get(accountId);
            Optional<AccountDetails> before = store.details(accountId);
            if (before.isPresent() && before.get().pending()) {
                throw new PoolMtaException(
                        ErrorKind.CONFLICT,
                        "A request for production access is already pending review by the operator.");
            }
            Optional<ReviewStatus> review;
            if (account.productionAccessEnabled()) {
                review = Optional.of(ReviewStatus.GRANTED);
            } else if (requestProductionAccess) {
                review = Optional.of(ReviewStatus.PENDING);
            } else {
                review = before.flatMap(AccountDetails::review);
            }
            AccountDetails stored = details.withReview(review).withSubmittedAt(clock.instant());
            store.putDetails(accountId, stored);
            return stored;
        });
    }

    public Optional<AccountDetails> details(String accountId) {
        return store.details(accountId);
    }

    public Map<String, AccountDetails> allDetails() {
        return store.allDetails();
    }

    /** The account's own switch (PutAccountSendingAttributes); it cannot lift the operator's pause. */
    public void setSendingEnabled(String accountId, boolean enabled) {
        tx.run(() -> {
            Account account = get(accountId);
            if (enabled && account.pausedByOperator()) {
                throw PoolMtaException.badRequest(
                        "Sending was paused by the operator of this PoolMTA; only the operator can resume it.");
            }
            store.update(account.withSendingEnabled(enabled));
        });
    }

    /** The operator pauses the account's sending, or resumes it (lifting the account's own pause too). */
    public Account setPausedByOperator(String name, boolean paused) {
        return tx.write(() -> {
            Account account = byName(name);
            Account changed = paused
                    ? account.withPausedByOperator(true)
                    : account.withPausedByOperator(false).withSendingEnabled(true);
            store.update(changed);
            return changed;
        });
    }

    private String randomString(String alphabet, int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }
}
