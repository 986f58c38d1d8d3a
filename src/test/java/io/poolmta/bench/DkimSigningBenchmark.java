package io.poolmta.bench;

import io.poolmta.identity.DkimKeyLength;
import io.poolmta.identity.DkimKeys;
import io.poolmta.identity.DkimSigner;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * DKIM signing of one 2 KB message (headers as SendEmail writes them, a 2 KB text body) with a
 * signer built once, as the server keeps it per domain: RSA-2048 and Ed25519.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class DkimSigningBenchmark {
    private DkimSigner rsa2048;
    private DkimSigner ed25519;
    private byte[] message;

    @Setup
    public void setUp() throws Exception {
        DkimKeys.Made made = DkimKeys.generate(DkimKeyLength.RSA_2048_BIT);
        rsa2048 = new DkimSigner("example.com", made.key().selector(), made.privateKey(), Clock.systemUTC());
        ed25519 = new DkimSigner(
                "example.com",
                "ed1",
                KeyPairGenerator.getInstance("Ed25519").generateKeyPair().getPrivate(),
                Clock.systemUTC());
        StringBuilder body = new StringBuilder();
        while (body.length() < 2048) {
            body.append("The quick brown fox jumps over the lazy dog, again and again.  \r\n");
        }
        message = ("From: Sender <sender@example.com>\r\nTo: rcpt@example.net\r\nSubject: Your weekly report\r\n"
                        + "Date: Sun, 01 Mar 2026 10:00:00 +0000\r\nMessage-ID: <0100018d-bench@example.com>\r\n"
                        + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=UTF-8\r\n"
                        + "Content-Transfer-Encoding: 7bit\r\n\r\n" + body)
                .getBytes(StandardCharsets.US_ASCII);
    }

    @Benchmark
    public String signRsa2048() {
        return rsa2048.sign(message);
    }

    @Benchmark
    public String signEd25519() {
        return ed25519.sign(message);
    }
}
