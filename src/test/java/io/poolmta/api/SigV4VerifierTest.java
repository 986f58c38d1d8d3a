package io.poolmta.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.poolmta.account.AccessKey;
import io.poolmta.http.HttpRequest;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The hand-written parts of {@link SigV4Verifier}'s hot path against what they replaced: X-Amz-Date
 * parsing against the formatter (valid, clamped and invalid dates alike), and header white space
 * against {@code replaceAll("\\s+", " ")}.
 */
class SigV4VerifierTest {
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

    @Test
    void amzDatesParseAsTheFormatterParsesThem() {
        assertThat(SigV4Verifier.parseDate("20250603T101530Z")).isEqualTo(Instant.parse("2025-06-03T10:15:30Z"));
        Random random = new Random(4);
        for (int i = 0; i < 20_000; i++) {
            String text = i % 3 == 0
                    ? AMZ_DATE.format(Instant.ofEpochSecond(random.nextLong(0, 4_000_000_000L)))
                    : String.format(
                            "%04d%02d%02dT%02d%02d%02dZ",
                            1990 + random.nextInt(60),
                            random.nextInt(14),
                            random.nextInt(33),
                            random.nextInt(26),
                            random.nextInt(62),
                            random.nextInt(62));
            Instant expected;
            try {
                expected = Instant.from(AMZ_DATE.parse(text));
            } catch (DateTimeParseException e) {
                assertThatThrownBy(() -> SigV4Verifier.parseDate(text)).as(text).isInstanceOf(ApiException.class);
                continue;
            }
            assertThat(SigV4Verifier.parseDate(text)).as(text).isEqualTo(expected);
        }
        for (String bad :
                new String[] {"", "2025-06-03T10:15:30Z", "20250603T101530", "2025060aT101530Z", "20250603 101530Z"}) {
            assertThatThrownBy(() -> SigV4Verifier.parseDate(bad)).as(bad).isInstanceOf(ApiException.class);
        }
    }

    @Test
    void whiteSpaceCollapsesAsTheRegexDid() {
        String[] pieces = {"a", "b", " ", "  ", "\t", "\n", "\r", "\f", "\u000B", "\u001C", "\u00A0", "x y"};
        Random random = new Random(9);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder value = new StringBuilder();
            for (int k = random.nextInt(8); k > 0; k--) {
                value.append(pieces[random.nextInt(pieces.length)]);
            }
            String text = value.toString();
            assertThat(SigV4Verifier.collapseWhitespace(text)).as("'%s'", text).isEqualTo(text.replaceAll("\\s+", " "));
        }
    }

    @Test
    void theRememberedSigningKeyFollowsTheSecretAndTheDay() {
        AtomicReference<String> secret = new AtomicReference<>("old-secret");
        MutableTime time = new MutableTime(Instant.parse("2025-06-03T23:59:00Z"));
        SigV4Verifier verifier = new SigV4Verifier(id -> Optional.of(new AccessKey(id, secret.get(), "acct-1")), time);
        URI uri = URI.create("http://127.0.0.1:8080/v2/email/outbound-emails");
        for (int i = 0; i < 3; i++) {
            assertThat(verifier.verify(signed(uri, "AKID", "old-secret", time)).accountId())
                    .isEqualTo("acct-1");
        }
        secret.set("new-secret");
        assertThatThrownBy(() -> verifier.verify(signed(uri, "AKID", "old-secret", time)))
                .isInstanceOf(ApiException.class);
        assertThat(verifier.verify(signed(uri, "AKID", "new-secret", time)).accountId())
                .isEqualTo("acct-1");
        time.now = Instant.parse("2025-06-04T00:01:00Z"); // a new day: a new signing key
        assertThat(verifier.verify(signed(uri, "AKID", "new-secret", time)).accountId())
                .isEqualTo("acct-1");
        assertThatThrownBy(() -> verifier.verify(signed(uri, "AKID", "old-secret", time)))
                .isInstanceOf(ApiException.class);
    }

    private static HttpRequest signed(URI uri, String id, String secret, Clock clock) {
        byte[] body = "{}".getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new SigV4Signer(id, secret, "eu-west-1", clock)
                .sign("POST", uri, Map.of("content-type", "application/json"), body);
        Map<String, List<String>> all = new HashMap<>();
        headers.forEach((k, v) -> all.put(k.toLowerCase(Locale.ROOT), List.of(v)));
        all.put("host", List.of(uri.getHost() + ":" + uri.getPort()));
        return new HttpRequest("POST", uri.getRawPath(), null, all, body, "req");
    }

    /** A clock the test moves. */
    private static final class MutableTime extends Clock {
        Instant now;

        MutableTime(Instant now) {
            this.now = now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
