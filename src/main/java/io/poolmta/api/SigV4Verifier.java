package io.poolmta.api;

import io.poolmta.account.AccessKey;
import io.poolmta.http.HttpRequest;
import io.poolmta.http.QueryParams;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies AWS Signature Version 4 on a SES API request (header form,
 * {@code Authorization: AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=...}).
 * The canonical request is rebuilt from whatever headers the client signed; the payload hash is
 * always computed from the body received, so a replayed signature with a changed body fails.
 * Service must be {@code ses}; any region is accepted; the request time must be within 15 minutes
 * of the server clock. Every failure is an {@link ApiException} with the AWS error type and status
 * 403, a malformed or non-SigV4 header (IncompleteSignatureException) included, as AWS's REST
 * front ends answer it.
 */
public final class SigV4Verifier {
    public static final String SERVICE = "ses";
    public static final Duration MAX_SKEW = Duration.ofMinutes(15);
    private static final String ALGORITHM = "AWS4-HMAC-SHA256";
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final HexFormat HEX = HexFormat.of();
    /** Never used itself: cloned for each digest. */
    private static final MessageDigest SHA256 = digest();

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    /** Derived signing keys by access key, date and region; cleared whole when it grows past this. */
    private static final int MAX_SIGNING_KEYS = 10_000;

    /** HMAC-SHA256 keyed with a derived signing key (cloned per use), and the secret it was derived from. */
    private record SigningKey(String secret, Mac mac) {}

    private final Map<String, SigningKey> signingKeys = new ConcurrentHashMap<>();

    private final Function<String, Optional<AccessKey>> keys;
    private final Clock clock;

    public SigV4Verifier(Function<String, Optional<AccessKey>> keys, Clock clock) {
        this.keys = keys;
        this.clock = clock;
    }

    public Caller verify(HttpRequest request) {
        String authorization = request.header("authorization")
                .orElseThrow(() ->
                        new ApiException("MissingAuthenticationTokenException", 403, "Missing Authentication Token"));
        if (!authorization.startsWith(ALGORITHM + " ")) {
            throw incomplete("Authorization header must use " + ALGORITHM + ".");
        }
        Map<String, String> parts = parseAuthorization(authorization.substring(ALGORITHM.length() + 1));
        String credential = required(parts, "Credential");
        String signedHeaders = required(parts, "SignedHeaders");
        if (!Arrays.asList(signedHeaders.split(";")).contains("host")) {
            throw incomplete("SignedHeaders must include host.");
        }
        String signature = required(parts, "Signature");

        String[] scope = credential.split("/", -1);
        if (scope.length != 5 || !"aws4_request".equals(scope[4])) {
            throw incomplete("Credential must be ACCESS_KEY/DATE/REGION/SERVICE/aws4_request.");
        }
        String accessKeyId = scope[0];
        String scopeDate = scope[1];
        String region = scope[2];
        if (!SERVICE.equals(scope[3])) {
            throw invalidSignature("Credential should be scoped to correct service: '" + SERVICE + "'.");
        }
        String amzDate = request.header("x-amz-date")
                .orElseThrow(() -> incomplete("Authorization header requires an X-Amz-Date header."));
        Instant signedAt = parseDate(amzDate);
        if (!amzDate.startsWith(scopeDate)) {
            throw invalidSignature("Credential date " + scopeDate + " does not match X-Amz-Date " + amzDate + ".");
        }
        Instant now = clock.instant();
        if (Duration.between(signedAt, now).abs().compareTo(MAX_SKEW) > 0) {
            throw invalidSignature("Signature expired: " + amzDate + " is not within 15 minutes of the server time "
                    + AMZ_DATE.format(now) + ".");
        }
        AccessKey key = keys.apply(accessKeyId)
                .orElseThrow(() -> new ApiException(
                        "UnrecognizedClientException", 403, "The security token included in the request is invalid."));

        String canonical = canonicalRequest(request, signedHeaders);
        String credentialScope = scopeDate + "/" + region + "/" + SERVICE + "/aws4_request";
        String stringToSign = ALGORITHM + "\n" + amzDate + "\n" + credentialScope + "\n" + hex(sha256(canonical));
        String expected =
                hex(signingKey(key, scopeDate, region).doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
        if (!MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.US_ASCII),
                signature.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.US_ASCII))) {
            throw invalidSignature("The request signature we calculated does not match the signature you provided."
                    + " Check your AWS Secret Access Key and signing method.");
        }
        return new Caller(key.accountId(), accessKeyId, region);
    }

    /**
     * A fresh HMAC keyed with HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), "ses"),
     * "aws4_request"). The keyed HMAC is remembered per access key, date and region (the key
     * changes once a day, and every request of the day needs it) and cloned for each use.
     */
    private Mac signingKey(AccessKey key, String scopeDate, String region) {
        String id = key.accessKeyId() + "/" + scopeDate + "/" + region;
        SigningKey cached = signingKeys.get(id);
        if (cached == null || !cached.secret().equals(key.secretAccessKey())) {
            cached = new SigningKey(key.secretAccessKey(), mac(derive(key, scopeDate, region)));
            if (signingKeys.size() >= MAX_SIGNING_KEYS) {
                signingKeys.clear();
            }
            signingKeys.put(id, cached);
        }
        try {
            return (Mac) cached.mac().clone();
        } catch (CloneNotSupportedException e) {
            return mac(derive(key, scopeDate, region));
        }
    }

    private static byte[] derive(AccessKey key, String scopeDate, String region) {
        return signingKey(key.secretAccessKey(), scopeDate, region);
    }

    /** The SigV4 signing key of {@code secret} for one day ({@code yyyyMMdd}) and region, service ses. */
    static byte[] signingKey(String secret, String scopeDate, String region) {
        return hmac(
                hmac(hmac(hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), scopeDate), region), SERVICE),
                "aws4_request");
    }

    static String canonicalRequest(HttpRequest request, String signedHeaders) {
        StringBuilder sb = new StringBuilder();
        sb.append(request.method()).append('\n');
        sb.append(canonicalUri(request.rawPath())).append('\n');
        sb.append(canonicalQuery(request.rawQuery())).append('\n');
        for (String name : signedHeaders.split(";")) {
            List<String> values = request.headers().get(name);
            if (values == null) {
                throw invalidSignature("Signed header " + name + " is not in the request.");
            }
            sb.append(name).append(':');
            for (int i = 0; i < values.size(); i++) {
                sb.append(i == 0 ? "" : ",")
                        .append(collapseWhitespace(values.get(i).trim()));
            }
            sb.append('\n');
        }
        sb.append('\n').append(signedHeaders).append('\n');
        sb.append(hex(sha256(request.body())));
        return sb.toString();
    }

    /** Runs of white space (regex \\s) as one space; most values have none to collapse. */
    static String collapseWhitespace(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean space = c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
            if (space && (c != ' ' || (i + 1 < value.length() && Character.isWhitespace(value.charAt(i + 1))))) {
                return WHITESPACE.matcher(value).replaceAll(" ");
            }
        }
        return value;
    }

    /** The path as sent, encoded once more (SigV4 double-encodes for every service but S3). */
    static String canonicalUri(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return "/";
        }
        return encode(rawPath, true);
    }

    static String canonicalQuery(String rawQuery) {
        if (rawQuery == null || rawQuery.isEmpty()) {
            return "";
        }
        List<String[]> pairs = new ArrayList<>();
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            String name = QueryParams.decode(eq < 0 ? pair : pair.substring(0, eq));
            String value = eq < 0 ? "" : QueryParams.decode(pair.substring(eq + 1));
            pairs.add(new String[] {encode(name, false), encode(value, false)});
        }
        pairs.sort((a, b) -> a[0].equals(b[0]) ? a[1].compareTo(b[1]) : a[0].compareTo(b[0]));
        StringBuilder sb = new StringBuilder();
        for (String[] p : pairs) {
            if (!sb.isEmpty()) {
                sb.append('&');
            }
            sb.append(p[0]).append('=').append(p[1]);
        }
        return sb.toString();
    }

    /** RFC 3986 encoding: unreserved characters stay, every other byte becomes %XX. */
    static String encode(String text, boolean keepSlash) {
        StringBuilder sb = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'A' && c <= 'Z')
                    || (c >= 'a' && c <= 'z')
                    || (c >= '0' && c <= '9')
                    || c == '-'
                    || c == '_'
                    || c == '.'
                    || c == '~'
                    || (keepSlash && c == '/')) {
                sb.append(c);
            } else {
                sb.append('%')
                        .append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return sb.toString();
    }

    private static Map<String, String> parseAuthorization(String text) {
        Map<String, String> parts = new HashMap<>();
        for (String part : text.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq > 0) {
                parts.put(p.substring(0, eq), p.substring(eq + 1));
            }
        }
        return parts;
    }

    private static String required(Map<String, String> parts, String name) {
        String value = parts.get(name);
        if (value == null || value.isEmpty()) {
            throw incomplete("Authorization header requires '" + name + "' parameter.");
        }
        return value;
    }

    /**
     * X-Amz-Date as an instant. A plainly valid date (days 1-28, hours 0-23, ...) is read directly;
     * anything else goes through the formatter, which decides as it always did.
     */
    static Instant parseDate(String amzDate) {
        if (amzDate.length() == 16 && amzDate.charAt(8) == 'T' && amzDate.charAt(15) == 'Z') {
            int year = digits(amzDate, 0, 4);
            int month = digits(amzDate, 4, 6);
            int day = digits(amzDate, 6, 8);
            int hour = digits(amzDate, 9, 11);
            int minute = digits(amzDate, 11, 13);
            int second = digits(amzDate, 13, 15);
            if (year >= 0
                    && month >= 1
                    && month <= 12
                    && day >= 1
                    && day <= 28
                    && hour >= 0
                    && hour <= 23
                    && minute >= 0
                    && minute <= 59
                    && second >= 0
                    && second <= 59) {
                return LocalDateTime.of(year, month, day, hour, minute, second).toInstant(ZoneOffset.UTC);
            }
        }
        try {
            return Instant.from(AMZ_DATE.parse(amzDate));
        } catch (DateTimeParseException e) {
            throw incomplete("X-Amz-Date must be in the form yyyyMMdd'T'HHmmss'Z'.");
        }
    }

    /** The decimal number in text[from, to), or -1 when a character there is not an ASCII digit. */
    private static int digits(String text, int from, int to) {
        int value = 0;
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static ApiException incomplete(String message) {
        return new ApiException("IncompleteSignatureException", 403, message);
    }

    private static ApiException invalidSignature(String message) {
        return new ApiException("InvalidSignatureException", 403, message);
    }

    static byte[] sha256(String text) {
        return sha256(text.getBytes(StandardCharsets.UTF_8));
    }

    /** SHA-256 of {@code data}, from a clone of one prototype digest (cheaper than a provider lookup). */
    static byte[] sha256(byte[] data) {
        try {
            return ((MessageDigest) SHA256.clone()).digest(data);
        } catch (CloneNotSupportedException e) {
            return digest().digest(data);
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] hmac(byte[] key, String data) {
        return mac(key).doFinal(data.getBytes(StandardCharsets.UTF_8));
    }

    private static Mac mac(byte[] key) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac;
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException(e);
        }
    }

    static String hex(byte[] bytes) {
        return HEX.formatHex(bytes);
    }
}
