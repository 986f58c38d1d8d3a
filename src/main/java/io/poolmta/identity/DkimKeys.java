package io.poolmta.identity;

import io.poolmta.common.PoolMtaException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.RSAKeyGenParameterSpec;
import java.security.spec.RSAPublicKeySpec;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * Makes and reads DKIM keys. Generated keys are RSA with exponent 65537 and a random selector;
 * an account's own key (SES's BYODKIM: {@code DomainSigningPrivateKey}) is base64 of a PKCS#8 RSA
 * key, DER or PEM, of 1024 or 2048 bits, under a selector that is one DNS label (no dots, no
 * slashes). Anything else is a BAD_REQUEST that says what was wrong, never echoing the key.
 */
public final class DkimKeys {
    /** SES's Selector pattern: one DNS label. */
    private static final Pattern SELECTOR = Pattern.compile("^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$");

    private static final int MAX_KEY_CHARS = 20_480;
    private static final String SELECTOR_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567";
    private static final SecureRandom RANDOM = new SecureRandom();

    /** A key with its private half, before it is stored. */
    public record Made(DkimKey key, PrivateKey privateKey) {
        /** The private key's PKCS#8 DER encoding, for the key store. */
        public byte[] pkcs8() {
            return privateKey.getEncoded();
        }
    }

    private DkimKeys() {}

    public static Made generate(DkimKeyLength length) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(new RSAKeyGenParameterSpec(length.bits(), RSAKeyGenParameterSpec.F4), RANDOM);
            var pair = generator.generateKeyPair();
            return new Made(new DkimKey(newSelector(), length, base64(pair.getPublic())), pair.getPrivate());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate RSA keys", e);
        }
    }

    /** A fresh selector: "pm" and 14 random base32 characters, one DNS label. */
    public static String newSelector() {
        StringBuilder sb = new StringBuilder("pm");
        for (int i = 0; i < 14; i++) {
            sb.append(SELECTOR_ALPHABET.charAt(RANDOM.nextInt(SELECTOR_ALPHABET.length())));
        }
        return sb.toString();
    }

    public static String requireValidSelector(String selector) {
        if (selector == null || selector.isEmpty()) {
            throw PoolMtaException.badRequest("DomainSigningSelector is required for EXTERNAL signing.");
        }
        if (!SELECTOR.matcher(selector).matches()) {
            throw PoolMtaException.badRequest("DomainSigningSelector must be one DNS label of 1-63 letters, digits and"
                    + " hyphens (no dots, no slashes, no hyphen at either end).");
        }
        return selector;
    }

    /** An account's own key under its selector, validated. */
    public static Made external(String selector, String base64Key) {
        requireValidSelector(selector);
        RSAPrivateCrtKey key = parseExternal(base64Key);
        DkimKeyLength length = DkimKeyLength.ofBits(key.getModulus().bitLength())
                .orElseThrow(() -> PoolMtaException.badRequest(
                        key.getModulus().bitLength() < 1024
                                ? "DomainSigningPrivateKey is too short ("
                                        + key.getModulus().bitLength()
                                        + " bits); DKIM keys must be RSA of 1024 or 2048 bits."
                                : "DomainSigningPrivateKey has "
                                        + key.getModulus().bitLength()
                                        + " bits; SES takes RSA keys of 1024 or 2048 bits."));
        return new Made(new DkimKey(selector, length, base64(publicOf(key))), key);
    }

    /** Reads a stored PKCS#8 DER key (written by this class). */
    public static PrivateKey readPkcs8(byte[] der) {
        try {
            return KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("stored DKIM key is not a PKCS#8 RSA key", e);
        }
    }

    private static RSAPrivateCrtKey parseExternal(String base64Key) {
        if (base64Key == null || base64Key.isEmpty()) {
            throw PoolMtaException.badRequest("DomainSigningPrivateKey is required for EXTERNAL signing.");
        }
        if (base64Key.length() > MAX_KEY_CHARS) {
            throw PoolMtaException.badRequest(
                    "DomainSigningPrivateKey is longer than " + MAX_KEY_CHARS + " characters.");
        }
        byte[] decoded;
        try {
            decoded = Base64.getDecoder().decode(base64Key.replaceAll("\\s", ""));
        } catch (IllegalArgumentException e) {
            throw PoolMtaException.badRequest("DomainSigningPrivateKey is not base64.");
        }
        byte[] der = decoded;
        String text = new String(decoded, StandardCharsets.US_ASCII);
        if (text.startsWith("-----BEGIN")) {
            der = fromPem(text);
        }
        PrivateKey key;
        try {
            key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw notPkcs8();
        }
        if (!(key instanceof RSAPrivateCrtKey crt)) {
            throw PoolMtaException.badRequest("DomainSigningPrivateKey must carry its public parameters (a PKCS#8 RSA"
                    + " key as openssl writes it).");
        }
        return crt;
    }

    private static byte[] fromPem(String pem) {
        String begin = "-----BEGIN PRIVATE KEY-----";
        String end = "-----END PRIVATE KEY-----";
        if (pem.startsWith("-----BEGIN RSA PRIVATE KEY-----")
                || pem.startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----")
                || !pem.startsWith(begin)
                || !pem.contains(end)) {
            throw notPkcs8();
        }
        String body = pem.substring(begin.length(), pem.indexOf(end)).replaceAll("\\s", "");
        try {
            return Base64.getDecoder().decode(body);
        } catch (IllegalArgumentException e) {
            throw notPkcs8();
        }
    }

    private static PoolMtaException notPkcs8() {
        return PoolMtaException.badRequest("DomainSigningPrivateKey must be base64 of an unencrypted PKCS#8 RSA private"
                + " key (DER, or PEM 'BEGIN PRIVATE KEY'); convert a PKCS#1 key with"
                + " 'openssl pkcs8 -topk8 -nocrypt -outform DER -in key.pem | base64 -w0'.");
    }

    private static PublicKey publicOf(RSAPrivateCrtKey key) {
        try {
            return KeyFactory.getInstance("RSA")
                    .generatePublic(new RSAPublicKeySpec(key.getModulus(), key.getPublicExponent()));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot derive the RSA public key", e);
        }
    }

    private static String base64(PublicKey key) {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }
}
