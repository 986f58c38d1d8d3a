package io.poolmta.identity;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.testing.DkimVerifier;
import io.poolmta.testing.LoopbackDnsServer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signatures made by {@link DkimSigner} verify with dkimpy, an implementation that is not
 * PoolMTA's, reading the public key from a DNS server on loopback; changing what was signed
 * afterwards makes them fail.
 */
class DkimSignerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-03-01T10:00:00Z"), ZoneOffset.UTC);
    static LoopbackDnsServer dns;
    static DkimKeys.Made rsa2048;
    static DkimSigner signer;

    @BeforeAll
    static void setUp() throws Exception {
        dns = LoopbackDnsServer.start();
        rsa2048 = DkimKeys.generate(DkimKeyLength.RSA_2048_BIT);
        dns.txt(rsa2048.key().recordName("example.com"), rsa2048.key().recordValue());
        signer = new DkimSigner("example.com", rsa2048.key().selector(), rsa2048.privateKey(), CLOCK);
    }

    @AfterAll
    static void tearDown() {
        dns.close();
    }

    static byte[] message() {
        return ("From: Alice <alice@example.com>\r\n"
                        + "To: bob@example.net,\r\n  carol@example.org\r\n"
                        + "Subject:   Quarterly   report\r\n\t(folded)  \r\n"
                        + "Date: Sun, 01 Mar 2026 10:00:00 +0000\r\n"
                        + "Message-ID: <1@example.com>\r\n"
                        + "MIME-Version: 1.0\r\n"
                        + "Content-Type: text/plain; charset=UTF-8\r\n"
                        + "X-Not-Signed: anything\r\n"
                        + "\r\n"
                        + "Hello  Bob,\t \r\n"
                        + "\r\n"
                        + "the figures are   attached.   \r\n"
                        + "\r\n\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
    }

    static byte[] signed(DkimSigner s, byte[] message) {
        byte[] header = s.sign(message).getBytes(StandardCharsets.US_ASCII);
        byte[] out = Arrays.copyOf(header, header.length + message.length);
        System.arraycopy(message, 0, out, header.length, message.length);
        return out;
    }

    @Test
    void rsa2048SignatureVerifiesWithDkimpy() {
        DkimVerifier.assumeAvailable();
        DkimVerifier.Verdict verdict = DkimVerifier.verify(signed(signer, message()), dns);
        assertThat(verdict.pass()).as(verdict.err()).isTrue();
    }

    @Test
    void rsa1024SignatureVerifies() {
        DkimVerifier.assumeAvailable();
        DkimKeys.Made made = DkimKeys.generate(DkimKeyLength.RSA_1024_BIT);
        dns.txt(made.key().recordName("short.example.com"), made.key().recordValue());
        DkimSigner s = new DkimSigner("short.example.com", made.key().selector(), made.privateKey(), CLOCK);
        DkimVerifier.Verdict verdict = DkimVerifier.verify(signed(s, message()), dns);
        assertThat(verdict.pass()).as(verdict.err()).isTrue();
    }

    @Test
    void ed25519SignatureVerifies() throws Exception {
        DkimVerifier.assumeAvailable();
        KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        byte[] spki = pair.getPublic().getEncoded();
        String raw = Base64.getEncoder().encodeToString(Arrays.copyOfRange(spki, spki.length - 32, spki.length));
        dns.txt("ed1._domainkey.ed.example.com", "v=DKIM1; k=ed25519; p=" + raw);
        DkimSigner s = new DkimSigner("ed.example.com", "ed1", pair.getPrivate(), CLOCK);
        String header = s.sign(message());
        assertThat(header).contains("a=ed25519-sha256");
        DkimVerifier.Verdict verdict = DkimVerifier.verify(signed(s, message()), dns);
        assertThat(verdict.pass()).as(verdict.err()).isTrue();
    }

    @Test
    void messageWithoutBodyAndWithBareLineFeedsVerifies() {
        DkimVerifier.assumeAvailable();
        byte[] noBody = "From: a@example.com\r\nSubject: empty\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        assertThat(DkimVerifier.verify(signed(signer, noBody), dns).pass()).isTrue();
    }

    @Test
    void changedBodyOrAddedFromFailsVerification() {
        DkimVerifier.assumeAvailable();
        byte[] signed = signed(signer, message());
        String text = new String(signed, StandardCharsets.UTF_8);
        byte[] body = text.replace("figures", "fingers").getBytes(StandardCharsets.UTF_8);
        assertThat(DkimVerifier.verify(body, dns).pass()).isFalse();
        byte[] extraFrom = text.replace("X-Not-Signed: anything\r\n", "From: mallory@example.net\r\n")
                .getBytes(StandardCharsets.UTF_8);
        assertThat(DkimVerifier.verify(extraFrom, dns).pass()).isFalse();
        byte[] unsignedChange =
                text.replace("X-Not-Signed: anything", "X-Not-Signed: other").getBytes(StandardCharsets.UTF_8);
        assertThat(DkimVerifier.verify(unsignedChange, dns).pass()).isTrue();
    }

    @Test
    void signatureNamesDomainSelectorTimeAndTheSignedFields() {
        String header = signer.sign(message());
        String unfolded = header.replace("\r\n\t", " ");
        assertThat(header)
                .startsWith("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; s="
                        + rsa2048.key().selector() + ";")
                .endsWith("\r\n");
        assertThat(unfolded)
                .contains("t=" + CLOCK.instant().getEpochSecond() + ";")
                .contains("h=from:from:subject:date:message-id:to:mime-version:content-type;");
        for (String line : header.split("\r\n")) {
            assertThat(line.length()).isLessThanOrEqualTo(100);
        }
    }
}
