package io.poolmta.spool;

import io.poolmta.message.Envelope;
import io.poolmta.message.TlsPolicy;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Messages for spool tests; content is derived from the id, so a test can check it byte for byte. */
final class SpoolMessages {
    static final Instant ACCEPTED = Instant.parse("2026-03-01T08:00:00.123456789Z");

    private SpoolMessages() {}

    static SpooledMessage message(String id, int contentBytes, String... recipients) {
        Envelope envelope = new Envelope(
                id,
                "acct-1",
                Optional.of("newsletters"),
                "marketing",
                "bounce+" + id + "@mail.example.com",
                List.of(recipients),
                ACCEPTED,
                ACCEPTED.plusSeconds(50_400),
                TlsPolicy.REQUIRE,
                Map.of("campaign", List.of("spring", "2026"), "empty", List.of()));
        return new SpooledMessage(envelope, content(id, contentBytes));
    }

    static SpooledMessage message(String id, String... recipients) {
        return message(id, 200, recipients);
    }

    /** RFC 5322 bytes with CRLF endings, padded with every byte value to exactly {@code size} bytes. */
    static byte[] content(String id, int size) {
        byte[] head = ("Message-ID: <" + id + "@poolmta.test>\r\nSubject: caf\u00e9 " + id + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] content = new byte[Math.max(size, head.length)];
        System.arraycopy(head, 0, content, 0, head.length);
        for (int i = head.length; i < content.length; i++) {
            content[i] = (byte) (i * 31 + id.hashCode());
        }
        return content;
    }
}
