package io.poolmta.api;

import io.poolmta.http.HttpRequest;
import java.net.URI;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Signs a request with AWS Signature Version 4 for service {@code ses}, as the AWS SDKs do: the
 * headers to send (host, x-amz-date, x-amz-content-sha256, authorization). Used by PoolMTA's own
 * clients (demo, benchmarks); the canonical form is shared with {@link SigV4Verifier}.
 */
public final class SigV4Signer {
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final String accessKeyId;
    private final String secret;
    private final String region;
    private final Clock clock;
    /** The signing key of the last date signed for (it changes once a day), as the AWS SDKs cache it. */
    private volatile DatedKey signingKey;

    private record DatedKey(String date, byte[] key) {}

    public SigV4Signer(String accessKeyId, String secret, String region, Clock clock) {
        this.accessKeyId = accessKeyId;
        this.secret = secret;
        this.region = region;
        this.clock = clock;
    }

    /** Headers to add to the request; {@code extraHeaders} (e.g. content-type) are signed too. */
    public Map<String, String> sign(String method, URI uri, Map<String, String> extraHeaders, byte[] body) {
        String amzDate = AMZ_DATE.format(clock.instant());
        String date = amzDate.substring(0, 8);
        String host = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
        TreeMap<String, List<String>> signed = new TreeMap<>();
        extraHeaders.forEach((k, v) -> signed.put(k.toLowerCase(Locale.ROOT), List.of(v)));
        signed.put("host", List.of(host));
        signed.put("x-amz-date", List.of(amzDate));
        String payloadHash = SigV4Verifier.hex(SigV4Verifier.sha256(body));
        signed.put("x-amz-content-sha256", List.of(payloadHash));
        String signedHeaders = String.join(";", signed.keySet());
        HttpRequest request = new HttpRequest(method, uri.getRawPath(), uri.getRawQuery(), signed, body, "");
        String canonical = SigV4Verifier.canonicalRequest(request, signedHeaders);
        String scope = date + "/" + region + "/" + SigV4Verifier.SERVICE + "/aws4_request";
        String toSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                + SigV4Verifier.hex(SigV4Verifier.sha256(canonical));
        String signature = SigV4Verifier.hex(SigV4Verifier.hmac(keyFor(date), toSign));
        Map<String, String> out = new LinkedHashMap<>();
        extraHeaders.forEach(out::put);
        out.put("x-amz-date", amzDate);
        out.put("x-amz-content-sha256", payloadHash);
        out.put(
                "authorization",
                "AWS4-HMAC-SHA256 Credential=" + accessKeyId + "/" + scope + ", SignedHeaders=" + signedHeaders
                        + ", Signature=" + signature);
        return out;
    }

    private byte[] keyFor(String date) {
        DatedKey cached = signingKey;
        if (cached == null || !cached.date().equals(date)) {
            cached = new DatedKey(date, SigV4Verifier.signingKey(secret, date, region));
            signingKey = cached;
        }
        return cached.key();
    }
}
