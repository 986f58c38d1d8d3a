package io.poolmta.submission;

import io.poolmta.common.KeyStoreFiles;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

/**
 * The submission server's TLS identity. Either the operator configures a certificate chain and its
 * key as PEM files ({@link #fromPem}; re-read at the next handshake whenever they change, see
 * {@link PemKeyManager}), or a PKCS12 key store, or a
 * self-signed certificate is generated once into {@value #GENERATED_FILE} under the data directory
 * (RSA 2048, SHA256withRSA, valid 10 years, SAN: the host name, {@code localhost}, 127.0.0.1; the
 * file is owner-only, written to a temporary name, fsynced and renamed) and reused on every later
 * start. The generated store's password is {@value #GENERATED_PASSWORD}: the file's protection is
 * its permissions, as for {@code operator.json}. A store that cannot be read is an error, never
 * silently replaced.
 */
public final class TlsCertificates {
    public static final String GENERATED_FILE = "tls/submission.p12";
    public static final String GENERATED_PASSWORD = "poolmta";
    static final String ALIAS = "submission";
    private static final Duration VALIDITY = Duration.ofDays(3650);

    private TlsCertificates() {}

    /**
     * The server SSLContext: from {@code keyStore} when configured, else from the self-signed
     * certificate in {@code dataDir} (generated on first use).
     */
    public static SSLContext serverContext(
            Optional<Path> keyStore, char[] password, Path dataDir, String hostName, Clock clock) throws IOException {
        return keyStore.isPresent()
                ? fromKeyStore(keyStore.get(), password)
                : fromKeyStore(selfSigned(dataDir, hostName, clock), GENERATED_PASSWORD.toCharArray());
    }

    /**
     * An SSLContext for the certificate chain and private key in two PEM files, which are re-read
     * at the next TLS handshake after either changes (a pair that cannot be used is logged and the
     * previous one kept). Fails when the files cannot be read now, or the key is not the
     * certificate's.
     */
    public static SSLContext fromPem(Path certificateChain, Path privateKey) throws IOException {
        PemKeyManager keys = new PemKeyManager(certificateChain, privateKey);
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keys}, null, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use TLS certificate " + certificateChain + ": " + e.getMessage(), e);
        }
    }

    /**
     * An SSLContext for the server key and certificate chain in a PKCS12 file. The key entry's
     * password must be the store's password (as {@code keytool} and {@code openssl pkcs12} make it).
     */
    public static SSLContext fromKeyStore(Path pkcs12, char[] password) throws IOException {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(pkcs12)) {
                store.load(in, password);
            }
            KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            keys.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(keys.getKeyManagers(), null, null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException("cannot use TLS key store " + pkcs12 + ": " + e.getMessage(), e);
        }
    }

    /** The self-signed key store in {@code dataDir}, generated if it does not exist yet. */
    public static Path selfSigned(Path dataDir, String hostName, Clock clock) throws IOException {
        Path file = dataDir.resolve(GENERATED_FILE);
        if (Files.exists(file)) {
            return file;
        }
        KeyStoreFiles.writeOwnerOnly(file, generate(hostName, clock), GENERATED_PASSWORD.toCharArray());
        return file;
    }

    static KeyStore generate(String hostName, Clock clock) throws IOException {
        try {
            SecureRandom random = new SecureRandom();
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048, random);
            KeyPair pair = generator.generateKeyPair();
            X500Name subject = new X500NameBuilder(BCStyle.INSTANCE)
                    .addRDN(BCStyle.CN, hostName)
                    .addRDN(BCStyle.O, "PoolMTA self-signed")
                    .build();
            Instant now = clock.instant();
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                    subject,
                    new BigInteger(64, random).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(VALIDITY)),
                    subject,
                    pair.getPublic());
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(
                    Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            builder.addExtension(
                    Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            builder.addExtension(
                    Extension.subjectKeyIdentifier, false, extensions.createSubjectKeyIdentifier(pair.getPublic()));
            builder.addExtension(Extension.subjectAlternativeName, false, alternativeNames(hostName));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(
                            builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(
                    ALIAS, pair.getPrivate(), GENERATED_PASSWORD.toCharArray(), new Certificate[] {certificate});
            return store;
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new IOException("cannot generate a self-signed certificate", e);
        }
    }

    private static GeneralNames alternativeNames(String hostName) {
        Set<GeneralName> names = new LinkedHashSet<>();
        names.add(name(hostName));
        names.add(name("localhost"));
        names.add(name("127.0.0.1"));
        return new GeneralNames(names.toArray(GeneralName[]::new));
    }

    private static GeneralName name(String host) {
        return IPAddress.isValid(host)
                ? new GeneralName(GeneralName.iPAddress, host)
                : new GeneralName(GeneralName.dNSName, host);
    }
}
