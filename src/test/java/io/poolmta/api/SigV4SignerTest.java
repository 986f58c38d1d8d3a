package io.poolmta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolmta.account.AccessKey;
import io.poolmta.http.HttpRequest;
import io.poolmta.testing.MutableClock;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/** PoolMTA's signer produces the AWS SDK's signature, and the verifier accepts it. */
class SigV4SignerTest {
    private static final Clock FIXED = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

    @Test
    void signatureEqualsTheAwsSdkSignature() {
        byte[] body = "{\"PoolName\":\"marketing\"}".getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create("http://127.0.0.1:8580/v2/email/dedicated-ip-pools?PageSize=5&NextToken=a%2Fb");
        Map<String, String> ours = new SigV4Signer("AKID", "secret", "us-east-1", FIXED)
                .sign("POST", uri, Map.of("content-type", "application/json"), body);

        SdkHttpFullRequest request = SdkHttpFullRequest.builder()
                .method(SdkHttpMethod.POST)
                .uri(uri)
                .putHeader("content-type", "application/json")
                .build();
        SignedRequest sdk = AwsV4HttpSigner.create()
                .sign(r -> r.identity(AwsBasicCredentials.create("AKID", "secret"))
                        .request(request)
                        .payload(ContentStreamProvider.fromByteArray(body))
                        .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "ses")
                        .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1")
                        .putProperty(AwsV4HttpSigner.SIGNING_CLOCK, FIXED)
                        .putProperty(AwsV4HttpSigner.PAYLOAD_SIGNING_ENABLED, true));
        String sdkAuthorization =
                sdk.request().firstMatchingHeader("Authorization").orElseThrow();

        assertThat(signature(ours.get("authorization"))).isEqualTo(signature(sdkAuthorization));
    }

    @Test
    void aSignerUsedAcrossMidnightSignsWithTheNewDaysKey() {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-26T23:59:59Z"));
        SigV4Signer signer = new SigV4Signer("AKID", "secret", "us-east-1", clock);
        URI uri = URI.create("http://127.0.0.1:8580/v2/email/account");
        byte[] body = new byte[0];
        signer.sign("GET", uri, Map.of(), body); // remembers the key of the 26th

        clock.advance(Duration.ofSeconds(2));
        Map<String, String> afterMidnight = signer.sign("GET", uri, Map.of(), body);

        assertThat(afterMidnight.get("authorization"))
                .contains("/20261127/us-east-1/ses/aws4_request")
                .isEqualTo(new SigV4Signer("AKID", "secret", "us-east-1", clock)
                        .sign("GET", uri, Map.of(), body)
                        .get("authorization"));
    }

    @Test
    void verifierAcceptsOurSignatureAndRejectsAChangedBody() {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        URI uri = URI.create("http://127.0.0.1:8580/v2/email/account");
        Map<String, String> headers =
                new SigV4Signer("AKID", "secret", "eu-west-1", FIXED).sign("GET", uri, Map.of(), body);
        Map<String, List<String>> received = new HashMap<>();
        headers.forEach((k, v) -> received.put(k, List.of(v)));
        received.put("host", List.of("127.0.0.1:8580"));
        SigV4Verifier verifier =
                new SigV4Verifier(id -> Optional.of(new AccessKey("AKID", "secret", "123456789012")), FIXED);

        Caller caller = verifier.verify(new HttpRequest("GET", uri.getRawPath(), null, received, body, "r1"));

        assertThat(caller.accountId()).isEqualTo("123456789012");
        assertThat(caller.region()).isEqualTo("eu-west-1");
        assertThatThrownBy(() -> verifier.verify(new HttpRequest(
                        "GET", uri.getRawPath(), null, received, "{ }".getBytes(StandardCharsets.UTF_8), "r2")))
                .isInstanceOf(ApiException.class)
                .satisfies(e -> assertThat(((ApiException) e).error().type()).isEqualTo("InvalidSignatureException"));
    }

    private static String signature(String authorization) {
        return authorization.substring(authorization.indexOf("Signature=") + 10);
    }
}
