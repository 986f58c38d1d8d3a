package io.poolmta.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

/**
 * Sends raw HTTP requests to a PoolMTA server, signed with the AWS SDK's own SigV4 signer
 * ({@link AwsV4HttpSigner}, service {@code ses}, region {@code us-east-1} unless changed). A test
 * chooses any method, raw path, raw query and body bytes (malformed JSON, oversized bodies), may
 * sign in the past, for another service or region, AWS-CLI style (only {@code host;x-amz-date}), or
 * not at all, and may change the body or a header after signing. The answer is the status, the
 * {@code X-Amzn-Errortype} header and the body (parsed as JSON when it is JSON).
 */
public final class SignedHttp {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RESTRICTED = Set.of("host", "content-length", "connection", "expect", "upgrade");
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Supplier<String> baseUrls;
    private final String accessKeyId;
    private final String secretAccessKey;
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    public SignedHttp(String baseUrl, String accessKeyId, String secretAccessKey) {
        this(() -> baseUrl, accessKeyId, secretAccessKey);
    }

    /** Each request goes to the base URL {@code baseUrls} gives when it is made. */
    public SignedHttp(Supplier<String> baseUrls, String accessKeyId, String secretAccessKey) {
        this.baseUrls = baseUrls;
        this.accessKeyId = accessKeyId;
        this.secretAccessKey = secretAccessKey;
    }

    /** Requests to the server; in cluster mode, each to a node picked at random. */
    public static SignedHttp of(TestServer server, TestAccount account) {
        return new SignedHttp(server::randomApiUrl, account.accessKeyId(), account.secretAccessKey());
    }

    private String baseUrl() {
        String url = baseUrls.get();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    /** The answer: status, the X-Amzn-Errortype header (or null), the body as JSON (or null) and as text. */
    public record Result(int status, String errorType, JsonNode json, String text, Map<String, List<String>> headers) {
        /** The {@code message} member of an error body, or null. */
        public String message() {
            return json == null || json.get("message") == null
                    ? null
                    : json.get("message").asText();
        }

        @Override
        public String toString() {
            return status + " " + errorType + " " + text;
        }
    }

    /** How a request is signed. */
    public enum Signing {
        /** AwsV4HttpSigner, as the Java SDK signs (x-amz-content-sha256 and every header sent). */
        SDK,
        /** As AWS CLI v2 signs: only host and x-amz-date (plus content-type when sent), no x-amz-content-sha256. */
        CLI,
        /** No Authorization header at all. */
        NONE
    }

    public Request request(String method, String pathAndQuery) {
        return new Request(method, pathAndQuery);
    }

    public Result get(String pathAndQuery) {
        return request("GET", pathAndQuery).send();
    }

    public Result delete(String pathAndQuery) {
        return request("DELETE", pathAndQuery).send();
    }

    public Result post(String pathAndQuery, String body) {
        return request("POST", pathAndQuery).body(body).send();
    }

    public Result put(String pathAndQuery, String body) {
        return request("PUT", pathAndQuery).body(body).send();
    }

    /** One request under construction. */
    public final class Request {
        /** The node this request goes to, chosen when it is made. */
        private final String baseUrl = baseUrl();

        private final String method;
        private final String rawPath;
        private final String rawQuery;
        private String sentPathAndQuery;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private byte[] body;
        private String region = "us-east-1";
        private String service = "ses";
        private String keyId = accessKeyId;
        private String secret = secretAccessKey;
        private Clock clock = Clock.systemUTC();
        private Signing signing = Signing.SDK;
        private byte[] bodyAfterSigning;
        private Consumer<Map<String, String>> headersAfterSigning = h -> {};
        private boolean chunked;
        private Map<String, String> lastHeaders;

        private Request(String method, String pathAndQuery) {
            this.method = method;
            int q = pathAndQuery.indexOf('?');
            this.rawPath = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
            this.rawQuery = q < 0 ? null : pathAndQuery.substring(q + 1);
        }

        /** A JSON (or any text) body; sets Content-Type: application/json unless another was set. */
        public Request body(String text) {
            return body(text.getBytes(StandardCharsets.UTF_8));
        }

        public Request body(byte[] bytes) {
            this.body = bytes;
            headers.putIfAbsent("Content-Type", "application/json");
            return this;
        }

        public Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        public Request region(String region) {
            this.region = region;
            return this;
        }

        public Request service(String service) {
            this.service = service;
            return this;
        }

        public Request credentials(String accessKeyId, String secretAccessKey) {
            this.keyId = accessKeyId;
            this.secret = secretAccessKey;
            return this;
        }

        /** Signs as if the request were made at that instant. */
        public Request signedAt(Instant instant) {
            this.clock = Clock.fixed(instant, ZoneOffset.UTC);
            return this;
        }

        public Request signing(Signing signing) {
            this.signing = signing;
            return this;
        }

        public Request unsigned() {
            return signing(Signing.NONE);
        }

        /** Sends this body instead of the one that was signed (a replay with a changed body). */
        public Request bodyAfterSigning(String text) {
            this.bodyAfterSigning = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        /** Changes the headers after signing; the map holds every header that will be sent, Authorization included. */
        public Request headersAfterSigning(Consumer<Map<String, String>> change) {
            this.headersAfterSigning = change;
            return this;
        }

        /** Sends the request to this path and query instead of the signed ones. */
        public Request pathAfterSigning(String pathAndQuery) {
            this.sentPathAndQuery = pathAndQuery;
            return this;
        }

        /** Sends the body without Content-Length (chunked transfer encoding). */
        public Request chunked() {
            this.chunked = true;
            return this;
        }

        /**
         * Sends the very headers of the previous {@link #send()} again (same Authorization), with the
         * body given to {@link #bodyAfterSigning} if any, else the signed one.
         */
        public Result replay() {
            if (lastHeaders == null) {
                throw new IllegalStateException("replay() needs a send() first");
            }
            byte[] payload = body == null ? new byte[0] : body;
            return transmit(lastHeaders, bodyAfterSigning != null ? bodyAfterSigning : payload);
        }

        public Result send() {
            byte[] payload = body == null ? new byte[0] : body;
            Map<String, String> toSend = switch (signing) {
                case SDK -> sdkSigned(payload);
                case CLI -> cliSigned(payload);
                case NONE -> caseInsensitive(headers);
            };
            headersAfterSigning.accept(toSend);
            lastHeaders = toSend;
            byte[] sent = bodyAfterSigning != null ? bodyAfterSigning : payload;
            return transmit(toSend, sent);
        }

        private Map<String, String> sdkSigned(byte[] payload) {
            SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder()
                    .method(SdkHttpMethod.fromValue(method))
                    .uri(URI.create(baseUrl))
                    .encodedPath(rawPath);
            for (Map.Entry<String, List<String>> p : decodeQuery(rawQuery).entrySet()) {
                unsigned.putRawQueryParameter(p.getKey(), p.getValue());
            }
            headers.forEach(unsigned::putHeader);
            SignedRequest signed = AwsV4HttpSigner.create()
                    .sign(r -> r.request(unsigned.build())
                            .payload(ContentStreamProvider.fromByteArray(payload))
                            .identity(AwsCredentialsIdentity.create(keyId, secret))
                            .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                            .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                            .putProperty(HttpSigner.SIGNING_CLOCK, clock));
            Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            signed.request().headers().forEach((name, values) -> out.put(name, String.join(",", values)));
            return out;
        }

        /** AWS CLI v2's shape of a SigV4 header: signed headers content-type (if any), host, x-amz-date. */
        private Map<String, String> cliSigned(byte[] payload) {
            String amzDate = AMZ_DATE.format(clock.instant());
            String day = amzDate.substring(0, 8);
            URI base = URI.create(baseUrl);
            String host = base.getHost() + (base.getPort() < 0 ? "" : ":" + base.getPort());
            Map<String, String> signedHeaders = new TreeMap<>();
            headers.forEach((k, v) -> {
                if (k.equalsIgnoreCase("content-type")) {
                    signedHeaders.put("content-type", v.trim());
                }
            });
            signedHeaders.put("host", host);
            signedHeaders.put("x-amz-date", amzDate);
            StringBuilder canonical = new StringBuilder();
            canonical
                    .append(method)
                    .append('\n')
                    .append(rawPath.isEmpty() ? "/" : uriEncode(rawPath, true))
                    .append('\n')
                    .append(canonicalQuery(decodeQuery(rawQuery)))
                    .append('\n');
            signedHeaders.forEach(
                    (k, v) -> canonical.append(k).append(':').append(v).append('\n'));
            String names = String.join(";", signedHeaders.keySet());
            canonical.append('\n').append(names).append('\n').append(hex(sha256(payload)));
            String scope = day + "/" + region + "/" + service + "/aws4_request";
            String stringToSign = "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n"
                    + hex(sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)));
            byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), day);
            key = hmac(key, region);
            key = hmac(key, service);
            key = hmac(key, "aws4_request");
            String signature = hex(hmac(key, stringToSign));
            Map<String, String> out = caseInsensitive(headers);
            out.put("X-Amz-Date", amzDate);
            out.put(
                    "Authorization",
                    "AWS4-HMAC-SHA256 Credential=" + keyId + "/" + scope + ", SignedHeaders=" + names + ", Signature="
                            + signature);
            return out;
        }

        private Result transmit(Map<String, String> toSend, byte[] sent) {
            String uri = baseUrl
                    + (sentPathAndQuery != null
                            ? sentPathAndQuery
                            : rawPath + (rawQuery == null ? "" : "?" + rawQuery));
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(uri))
                    .timeout(Duration.ofSeconds(20))
                    .method(
                            method,
                            sent.length == 0
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : chunked
                                            ? HttpRequest.BodyPublishers.ofInputStream(
                                                    () -> new ByteArrayInputStream(sent))
                                            : HttpRequest.BodyPublishers.ofByteArray(sent));
            toSend.forEach((name, value) -> {
                if (!RESTRICTED.contains(name.toLowerCase(Locale.ROOT))) {
                    b.header(name, value);
                }
            });
            try {
                HttpResponse<byte[]> r = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                String text = new String(r.body(), StandardCharsets.UTF_8);
                JsonNode json = null;
                if (!text.isBlank()) {
                    try {
                        json = JSON.readTree(text);
                    } catch (IOException notJson) {
                        json = null;
                    }
                }
                return new Result(
                        r.statusCode(),
                        r.headers().firstValue("X-Amzn-Errortype").orElse(null),
                        json,
                        text,
                        r.headers().map());
            } catch (IOException e) {
                throw new UncheckedIOException(method + " " + uri + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    private static Map<String, String> caseInsensitive(Map<String, String> headers) {
        Map<String, String> out = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        out.putAll(headers);
        return out;
    }

    /** Decodes a raw query the way a server does ('+' is a space); undecodable parts stay as they are. */
    private static Map<String, List<String>> decodeQuery(String rawQuery) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return out;
        }
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = lenientDecode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : lenientDecode(pair.substring(eq + 1));
            out.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
        }
        return out;
    }

    private static String lenientDecode(String text) {
        try {
            return URLDecoder.decode(text, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return text;
        }
    }

    private static String canonicalQuery(Map<String, List<String>> params) {
        List<String[]> pairs = new ArrayList<>();
        params.forEach((k, vs) -> vs.forEach(v -> pairs.add(new String[] {uriEncode(k, false), uriEncode(v, false)})));
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        List<String> joined = new ArrayList<>();
        for (String[] p : pairs) {
            joined.add(p[0] + "=" + p[1]);
        }
        return String.join("&", joined);
    }

    private static String uriEncode(String text, boolean keepSlash) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '~'
                    || (keepSlash && c == '/')) {
                sb.append((char) c);
            } else {
                sb.append('%').append(String.format("%02X", c));
            }
        }
        return sb.toString();
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] hmac(byte[] key, String data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
