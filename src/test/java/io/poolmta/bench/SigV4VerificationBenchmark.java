package io.poolmta.bench;

import io.poolmta.account.AccessKey;
import io.poolmta.api.Caller;
import io.poolmta.api.SigV4Signer;
import io.poolmta.api.SigV4Verifier;
import io.poolmta.http.HttpRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** SigV4 verification of one SendEmail-sized request (key lookup in memory). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class SigV4VerificationBenchmark {
    private SigV4Verifier verifier;
    private HttpRequest request;

    @Setup
    public void setUp() {
        AccessKey key =
                new AccessKey("AKPMBENCHMARK0000000", "secretsecretsecretsecretsecretsecret1234", "111111111111");
        verifier = new SigV4Verifier(id -> Optional.of(key), Clock.systemUTC());
        byte[] body = ("{\"FromEmailAddress\":\"s@bench.test\",\"Destination\":{\"ToAddresses\":[\"r@example.com\"]},"
                        + "\"Content\":{\"Simple\":{\"Subject\":{\"Data\":\"hello\"},\"Body\":{\"Text\":{\"Data\":\""
                        + "x".repeat(2000) + "\"}}}}}")
                .getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create("http://127.0.0.1:8580/v2/email/outbound-emails");
        Map<String, String> signed = new SigV4Signer(
                        key.accessKeyId(), key.secretAccessKey(), "us-east-1", Clock.systemUTC())
                .sign("POST", uri, Map.of("content-type", "application/json"), body);
        Map<String, List<String>> headers = new HashMap<>();
        signed.forEach((k, v) -> headers.put(k, List.of(v)));
        headers.put("host", List.of("127.0.0.1:8580"));
        request = new HttpRequest("POST", uri.getRawPath(), null, headers, body, "bench");
    }

    @Benchmark
    public Caller verify() {
        return verifier.verify(request);
    }
}
