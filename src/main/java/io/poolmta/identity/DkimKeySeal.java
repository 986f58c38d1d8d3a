package io.poolmta.identity;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Seals private DKIM keys for a store other nodes read (the cluster's database): AES-256-GCM under
 * a key-encryption key every node of the cluster derives alike ({@link #KEK_INFO}), a fresh random
 * 96-bit nonce per sealing, and the key's account, domain and selector as associated data, so a
 * sealed key moved to another row does not open. {@link #open} of bytes sealed under another
 * key-encryption key, or changed in any way, throws {@link Unreadable}: a key that cannot be
 * opened is never guessed at, and nothing is signed with it.
 */
public final class DkimKeySeal {
    /** HKDF's {@code info} for the key-encryption key, derived from the cluster key. */
    public static final String KEK_INFO = "poolmta dkim private keys v1";

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A sealed key: its nonce and its ciphertext with the GCM tag at the end. */
    public record Sealed(byte[] nonce, byte[] ciphertext) {}

    /** Sealed bytes that do not open under this seal's key (another cluster key, or changed bytes). */
    public static final class Unreadable extends IllegalStateException {
        Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final SecretKey kek;

    public DkimKeySeal(SecretKey kek) {
        if (!"AES".equalsIgnoreCase(kek.getAlgorithm()) || kek.getEncoded().length != 32) {
            throw new IllegalArgumentException("the key-encryption key must be a 256-bit AES key");
        }
        this.kek = kek;
    }

    public Sealed seal(String accountId, String domain, String selector, byte[] pkcs8) {
        return seal(associatedData(accountId, domain, selector), pkcs8);
    }

    public byte[] open(String accountId, String domain, String selector, Sealed sealed) {
        return open(
                associatedData(accountId, domain, selector),
                sealed,
                "the DKIM key " + selector + " of " + domain + " (account " + accountId + ")");
    }

    /**
     * Seals {@code plain} under associated data of the caller's choosing (a store's check that its
     * key-encryption key is the one its rows were sealed under).
     */
    public Sealed seal(byte[] associatedData, byte[] plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData);
            return new Sealed(nonce, cipher.doFinal(plain));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot seal with AES-GCM", e);
        }
    }

    /** Opens what {@link #seal(byte[], byte[])} sealed under the same associated data. */
    public byte[] open(byte[] associatedData, Sealed sealed, String what) {
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, kek, new GCMParameterSpec(TAG_BITS, sealed.nonce()));
            cipher.updateAAD(associatedData);
            return cipher.doFinal(sealed.ciphertext());
        } catch (AEADBadTagException e) {
            throw new Unreadable(
                    what + " does not open under this node's cluster key: it was sealed under another"
                            + " cluster key, or its stored bytes were changed",
                    e);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new Unreadable(what + " cannot be opened: " + e.getMessage(), e);
        }
    }

    /** Account, domain and selector, each ended by a NUL byte (none of them can hold one). */
    private static byte[] associatedData(String accountId, String domain, String selector) {
        return (accountId + "\0" + domain + "\0" + selector + "\0").getBytes(StandardCharsets.UTF_8);
    }
}
