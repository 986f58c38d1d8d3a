package io.poolmta.account;

import io.poolmta.common.PoolMtaException;
import io.poolmta.common.Transactions;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creates, checks, lists and deletes the SMTP credentials of accounts. A new credential is a
 * random user name ({@value #USERNAME_PREFIX} plus 16 characters, unlike SigV4 access key ids) and
 * a random password (256 bits, URL-safe base64) that is returned once and stored only as a salted
 * hash. {@link #verify} takes about as long for an unknown user name as for a known one, so it does
 * not reveal which user names exist.
 */
public final class SmtpCredentialService {
    public static final String USERNAME_PREFIX = "SMPM";
    private static final String USERNAME_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    private final SmtpCredentialStore store;
    private final AccountService accounts;
    private final Transactions tx;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final String dummyHash;
    /**
     * Username → (stored hash, SHA-256 of the password that last matched it). A client that logs in
     * for every message pays PBKDF2 once, not every time; a wrong password, a deleted credential or a
     * new stored hash always takes the full check.
     */
    private final Map<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(String storedHash, byte[] passwordDigest) {}

    public SmtpCredentialService(SmtpCredentialStore store, AccountService accounts, Transactions tx, Clock clock) {
        this.store = store;
        this.accounts = accounts;
        this.tx = tx;
        this.clock = clock;
        this.dummyHash = SmtpPasswordHash.hash(newPassword(), random);
    }

    /** New credentials for the named account; NOT_FOUND when there is no such account. */
    public NewSmtpCredential create(String accountName) {
        Account account = accounts.byName(accountName);
        String password = newPassword();
        String hash = SmtpPasswordHash.hash(password, random); // slow: outside the write lock
        String username = tx.write(() -> {
            String candidate;
            do {
                candidate = USERNAME_PREFIX + randomString(16);
            } while (store.byUsername(candidate).isPresent());
            store.insert(new SmtpCredential(candidate, account.id(), hash, clock.instant()));
            return candidate;
        });
        return new NewSmtpCredential(username, password, account.id());
    }

    /** The account id the credentials belong to, or empty when the user name or password is wrong. */
    public Optional<String> verify(String username, String password) {
        if (username == null || password == null) {
            return Optional.empty();
        }
        Optional<SmtpCredential> credential = store.byUsername(username);
        if (credential.isEmpty()) {
            SmtpPasswordHash.matches(password, dummyHash); // same cost as a real check
            return Optional.empty();
        }
        String stored = credential.get().passwordHash();
        byte[] digest = sha256(password);
        Verified known = verified.get(username);
        if (known != null
                && known.storedHash().equals(stored)
                && MessageDigest.isEqual(known.passwordDigest(), digest)) {
            return Optional.of(credential.get().accountId());
        }
        if (!SmtpPasswordHash.matches(password, stored)) {
            return Optional.empty();
        }
        verified.put(username, new Verified(stored, digest));
        return Optional.of(credential.get().accountId());
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<SmtpCredential> list(String accountName) {
        return store.byAccount(accounts.byName(accountName).id());
    }

    public void delete(String username) {
        verified.remove(username);
        tx.run(() -> {
            if (!store.delete(username)) {
                throw PoolMtaException.notFound("SMTP credential " + username + " does not exist.");
            }
        });
    }

    private String newPassword() {
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private String randomString(int length) {
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(USERNAME_ALPHABET.charAt(random.nextInt(USERNAME_ALPHABET.length())));
        }
        return sb.toString();
    }
}
