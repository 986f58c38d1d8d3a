package io.poolmta.submission;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.GeneralSecurityException;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's key and certificate chain from two PEM files (the chain: the server's certificate
 * first, then intermediates; the key: unencrypted PKCS#8, or PKCS#1 RSA / SEC1 EC), re-read when
 * either file changes. The files are looked at on every TLS handshake (their modification time
 * and size); a changed pair is loaded for that handshake and every later one. A pair that cannot be
 * read, or whose key does not match the certificate (e.g. one file replaced and the other not
 * yet), is logged and the previous pair stays in use until the files change again. Loading at
 * construction fails loudly instead. Thread-safe.
 */
final class PemKeyManager extends X509ExtendedKeyManager {
    private static final Logger LOG = LoggerFactory.getLogger(PemKeyManager.class);
    private static final String ALIAS = "pem-";

    private record Pair(X509Certificate[] chain, PrivateKey key) {}

    private record Stamp(FileTime certificateTime, long certificateSize, FileTime keyTime, long keySize) {}

    private final Path certificateFile;
    private final Path keyFile;
    private final Map<Integer, Pair> generations = new LinkedHashMap<>(); // the newest few, by generation
    private int generation;
    private Stamp loaded;
    private Stamp failed;

    PemKeyManager(Path certificateFile, Path keyFile) throws IOException {
        this.certificateFile = certificateFile;
        this.keyFile = keyFile;
        Stamp stamp = stamp();
        generations.put(generation, read(certificateFile, keyFile));
        loaded = stamp;
    }

    /** The alias of the newest pair, re-reading the files first when they changed. */
    private synchronized String current() {
        Stamp stamp;
        try {
            stamp = stamp();
        } catch (IOException e) {
            return ALIAS + generation; // a file being replaced right now: keep the pair in use
        }
        if (!stamp.equals(loaded) && !stamp.equals(failed)) {
            try {
                Pair pair = read(certificateFile, keyFile);
                generations.put(++generation, pair);
                generations.keySet().removeIf(g -> g < generation - 4); // handshakes in progress keep theirs
                loaded = stamp;
                failed = null;
                LOG.info(
                        "TLS certificate reloaded from {} (subject {}, valid until {})",
                        certificateFile,
                        pair.chain()[0].getSubjectX500Principal().getName(),
                        pair.chain()[0].getNotAfter().toInstant());
            } catch (IOException e) {
                failed = stamp;
                LOG.warn(
                        "TLS certificate files changed but cannot be used; keeping the previous ones: {}",
                        e.getMessage());
            }
        }
        return ALIAS + generation;
    }

    private synchronized Pair pair(String alias) {
        if (alias == null || !alias.startsWith(ALIAS)) {
            return null;
        }
        try {
            return generations.get(Integer.parseInt(alias.substring(ALIAS.length())));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private Stamp stamp() throws IOException {
        return new Stamp(
                Files.getLastModifiedTime(certificateFile),
                Files.size(certificateFile),
                Files.getLastModifiedTime(keyFile),
                Files.size(keyFile));
    }

    /** Reads and checks a pair: a chain of at least one certificate and the key of its first. */
    static Pair read(Path certificateFile, Path keyFile) throws IOException {
        X509Certificate[] chain;
        try (InputStream in = Files.newInputStream(certificateFile)) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).stream()
                    .map(X509Certificate.class::cast)
                    .toArray(X509Certificate[]::new);
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException("cannot read TLS certificate " + certificateFile + ": " + e.getMessage(), e);
        }
        if (chain.length == 0) {
            throw new IOException("no certificate in " + certificateFile);
        }
        PrivateKey key = readKey(keyFile);
        if (!matches(chain[0], key)) {
            throw new IOException(
                    "the key in " + keyFile + " does not belong to the certificate in " + certificateFile);
        }
        return new Pair(chain, key);
    }

    private static PrivateKey readKey(Path keyFile) throws IOException {
        try (Reader reader = Files.newBufferedReader(keyFile, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object item; (item = parser.readObject()) != null; ) {
                if (item instanceof PrivateKeyInfo info) {
                    return converter.getPrivateKey(info);
                }
                if (item instanceof PEMKeyPair pair) {
                    return converter.getKeyPair(pair).getPrivate();
                }
            }
            throw new IOException("no unencrypted private key (PKCS#8, PKCS#1 or SEC1 PEM) in " + keyFile);
        } catch (IOException | RuntimeException e) {
            throw new IOException("cannot read TLS private key " + keyFile + ": " + e.getMessage(), e);
        }
    }

    /** Signs a few bytes with the key and verifies them with the certificate. */
    private static boolean matches(X509Certificate certificate, PrivateKey key) {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> null;
        };
        if (algorithm == null) {
            return true; // cannot tell here; the handshake will
        }
        try {
            byte[] probe = "poolmta".getBytes(StandardCharsets.US_ASCII);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    @Override
    public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
        return current();
    }

    @Override
    public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
        return current();
    }

    @Override
    public String[] getServerAliases(String keyType, Principal[] issuers) {
        return new String[] {current()};
    }

    @Override
    public X509Certificate[] getCertificateChain(String alias) {
        Pair pair = pair(alias);
        return pair == null ? null : pair.chain().clone();
    }

    @Override
    public PrivateKey getPrivateKey(String alias) {
        Pair pair = pair(alias);
        return pair == null ? null : pair.key();
    }

    @Override
    public String[] getClientAliases(String keyType, Principal[] issuers) {
        return null;
    }

    @Override
    public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
        return null;
    }

    /** For tests: the certificates of the pair in use. */
    List<X509Certificate> chainInUse() {
        return List.of(pair(current()).chain());
    }
}
