package io.poolmta.nodelink;

import io.poolmta.common.KeyStoreFiles;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Date;
import java.util.HexFormat;
import javax.crypto.KDF;
import javax.crypto.SecretKey;
import javax.crypto.spec.HKDFParameterSpec;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * The cluster key: one EC P-256 key pair and its self-signed certificate that every node of a
 * cluster holds, in {@value #FILE} under the data directory (PKCS12, password
 * {@value #PASSWORD}: its protection is the file's owner-only permissions, as for the
 * submission server's generated certificate). The first node generates it at its first start with
 * a node link; the operator copies that file into every other node's data directory before
 * starting it. A key store that exists but cannot be read is an error, never replaced.
 * <p>
 * {@link #context()} is a TLS 1.3 context that presents this certificate and trusts only this
 * certificate, on both ends of a link (the server requires a client certificate): a peer is
 * accepted only when it proves in the handshake that it holds the cluster's private key. No host
 * name is checked, since what identifies a member is the key, not its address.
 * <p>
 * {@link #derive} gives keys for other purposes that every holder of the cluster key derives alike
 * (the key that seals private DKIM keys in a shared database), and {@link #fingerprint} names the
 * key in logs and errors without revealing it.
 */
public final class ClusterKey {
    public static final String FILE = "tls/cluster.p12";
    public static final String PASSWORD = "poolmta";
    static final String ALIAS = "cluster";
    private static final Duration VALIDITY = Duration.ofDays(3650);
    /** HKDF's salt for every key derived from the cluster key; {@code info} tells them apart. */
    private static final byte[] DERIVATION_SALT = "PoolMTA cluster key".getBytes(StandardCharsets.US_ASCII);

    private final KeyStore store;

    private ClusterKey(KeyStore store) {
        this.store = store;
    }

    /** The cluster key in {@code dataDir}, generated there if there is none yet. */
    public static ClusterKey inDataDirectory(Path dataDir, Clock clock) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (!Files.exists(file)) {
            write(file, generate(clock));
        }
        return load(file);
    }

    /** The cluster key in a PKCS12 file (password {@value #PASSWORD}). */
    public static ClusterKey load(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            if (!store.isKeyEntry(ALIAS)) {
                throw new IOException("no key '" + ALIAS + "' in " + file);
            }
            return new ClusterKey(store);
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot read the cluster key " + file + ": " + e.getMessage(), e);
        }
    }

    /** A new cluster key, not written anywhere (tests make a foreign one this way). */
    public static ClusterKey generated(Clock clock) throws IOException {
        return new ClusterKey(generate(clock));
    }

    /** TLS 1.3 with this certificate as both the only identity and the only trusted peer. */
    public SSLContext context() throws IOException {
        try {
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, PASSWORD.toCharArray());
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry(ALIAS, store.getCertificate(ALIAS));
            TrustManagerFactory trust = TrustManagerFactory.getInstance("PKIX");
            trust.init(trusted);
            SSLContext context = SSLContext.getInstance("TLSv1.3");
            context.init(keys.getKeyManagers(), trust.getTrustManagers(), new SecureRandom());
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the cluster key: " + e.getMessage(), e);
        }
    }

    /**
     * A 256-bit AES key for one purpose: HKDF-SHA256 (RFC 5869) whose input keying material is the
     * private scalar of the cluster key (32 bytes, big-endian), with a fixed salt and {@code info}
     * naming the purpose. Every node holding the same cluster key derives the same key; a node
     * holding another key derives a different one.
     */
    public SecretKey derive(String info) throws IOException {
        byte[] scalar = null;
        try {
            ECPrivateKey key = (ECPrivateKey) store.getKey(ALIAS, PASSWORD.toCharArray());
            scalar = fixedLength(key.getS(), 32);
            KDF hkdf = KDF.getInstance("HKDF-SHA256");
            return hkdf.deriveKey(
                    "AES",
                    HKDFParameterSpec.ofExtract()
                            .addIKM(scalar)
                            .addSalt(DERIVATION_SALT)
                            .thenExpand(info.getBytes(StandardCharsets.UTF_8), 32));
        } catch (GeneralSecurityException | ClassCastException e) {
            throw new IOException("cannot derive a key from the cluster key: " + e.getMessage(), e);
        } finally {
            if (scalar != null) {
                Arrays.fill(scalar, (byte) 0);
            }
        }
    }

    /**
     * The first 16 hex digits of the SHA-256 of the cluster certificate's public key: tells two
     * cluster keys apart in a log line or an error, and reveals nothing of the private key.
     */
    public String fingerprint() {
        try {
            byte[] spki = store.getCertificate(ALIAS).getPublicKey().getEncoded();
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(spki);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot read the cluster certificate", e);
        }
    }

    private static byte[] fixedLength(BigInteger value, int length) {
        byte[] raw = value.toByteArray();
        byte[] out = new byte[length];
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, out, length - copy, copy);
        Arrays.fill(raw, (byte) 0);
        return out;
    }

    private static KeyStore generate(Clock clock) throws IOException {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), random);
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500Name("CN=PoolMTA cluster");
            Instant now = clock.instant();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject,
                    new BigInteger(64, random).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(VALIDITY)),
                    subject,
                    pair.getPublic());
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth
            }));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(ALIAS, pair.getPrivate(), PASSWORD.toCharArray(), new Certificate[] {certificate});
            return store;
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IOException("cannot generate the cluster key", e);
        }
    }

    private static void write(Path file, KeyStore store) throws IOException {
        KeyStoreFiles.writeOwnerOnly(file, store, PASSWORD.toCharArray());
    }
}
