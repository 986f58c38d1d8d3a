package io.poolmta.submission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolmta.testing.MutableClock;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The self-signed certificate is made once, owner-only, and reused; a configured key store is used as is. */
class TlsCertificatesTest {
    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

    @Test
    void generatesOnceAndReuses() throws Exception {
        SSLContext first = TlsCertificates.serverContext(Optional.empty(), null, dir, "mta.example.test", clock);
        assertThat(first.getProtocol()).isEqualTo("TLS");
        Path file = dir.resolve("tls/submission.p12");
        assertThat(file).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
        X509Certificate certificate = certificate(file, TlsCertificates.GENERATED_PASSWORD.toCharArray());

        TlsCertificates.serverContext(Optional.empty(), null, dir, "other.example.test", clock);
        assertThat(certificate(file, TlsCertificates.GENERATED_PASSWORD.toCharArray()))
                .isEqualTo(certificate);
        assertThat(Files.list(file.getParent())).containsExactly(file);
    }

    @Test
    void certificateNamesTheHostAndLoopback() throws Exception {
        Path file = TlsCertificates.selfSigned(dir, "mta.example.test", clock);
        X509Certificate certificate = certificate(file, TlsCertificates.GENERATED_PASSWORD.toCharArray());
        certificate.checkValidity(Date.from(clock.instant()));
        assertThat(certificate.getSubjectX500Principal().getName()).contains("CN=mta.example.test");
        assertThat(certificate.getSubjectAlternativeNames().stream()
                        .map(name -> (Object) name.get(1))
                        .toList())
                .containsExactly("mta.example.test", "localhost", "127.0.0.1");
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        certificate.verify(certificate.getPublicKey());
    }

    @Test
    void usesAConfiguredKeyStore() throws Exception {
        KeyStore store = TlsCertificates.generate("configured.example.test", clock);
        Path file = dir.resolve("mine.p12");
        // the generated entry's key password is the generated one; re-key it under the store password
        KeyStore rekeyed = KeyStore.getInstance("PKCS12");
        rekeyed.load(null, null);
        rekeyed.setKeyEntry(
                "server",
                store.getKey(TlsCertificates.ALIAS, TlsCertificates.GENERATED_PASSWORD.toCharArray()),
                "s3cret".toCharArray(),
                store.getCertificateChain(TlsCertificates.ALIAS));
        try (var out = Files.newOutputStream(file)) {
            rekeyed.store(out, "s3cret".toCharArray());
        }
        SSLContext context =
                TlsCertificates.serverContext(Optional.of(file), "s3cret".toCharArray(), dir, "ignored", clock);
        assertThat(context).isNotNull();
        assertThat(dir.resolve("tls")).doesNotExist();
    }

    @Test
    void anUnreadableKeyStoreIsAnError() throws IOException {
        Path file = dir.resolve("broken.p12");
        Files.writeString(file, "not a key store");
        assertThatThrownBy(() -> TlsCertificates.fromKeyStore(file, "x".toCharArray()))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("broken.p12");
        assertThatThrownBy(() -> TlsCertificates.fromKeyStore(dir.resolve("missing.p12"), "x".toCharArray()))
                .isInstanceOf(IOException.class);
    }

    static X509Certificate certificate(Path p12, char[] password) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p12)) {
            store.load(in, password);
        }
        List<String> aliases = Collections.list(store.aliases());
        return (X509Certificate) store.getCertificate(aliases.getFirst());
    }
}
