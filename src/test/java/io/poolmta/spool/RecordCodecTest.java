package io.poolmta.spool;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.common.SharedStrings;
import io.poolmta.message.Envelope;
import io.poolmta.message.TlsPolicy;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The MESSAGE record written in one exact-size array is byte for byte the record the spool wrote
 * field by field through a DataOutputStream before (kept here as the reference), and decodes back.
 */
class RecordCodecTest {

    @Test
    void messageRecordsAreTheFieldByFieldFormat() throws Exception {
        Instant at = Instant.parse("2026-03-01T08:00:00.123456789Z");
        List<SpooledMessage> messages = List.of(
                SpoolMessages.message("m-1", "a@example.com"),
                SpoolMessages.message("m-2", 40_000, "a@example.com", "b@example.org", "ü@exämple.de"),
                new SpooledMessage(
                        new Envelope(
                                "m-3",
                                "acct",
                                Optional.empty(),
                                "pool",
                                "",
                                List.of("x@y.example"),
                                at,
                                at.plusSeconds(1),
                                TlsPolicy.OPTIONAL,
                                Map.of()),
                        new byte[0]),
                new SpooledMessage(
                        new Envelope(
                                "m-4",
                                "acct",
                                Optional.of("set 😀"),
                                "pool",
                                "from@example.com",
                                List.of("x@y.example"),
                                at,
                                at.plusSeconds(1),
                                TlsPolicy.REQUIRE,
                                Map.of("a", List.of(), "b", List.of("1", "2", "ünïcode"))),
                        "body".getBytes(StandardCharsets.UTF_8)));
        for (SpooledMessage message : messages) {
            byte[] record = RecordCodec.message(message);
            assertThat(record).isEqualTo(withStreams(message));
            RecordCodec.DecodedEnvelope decoded = RecordCodec.decodeEnvelope(
                    record,
                    RecordCodec.RECORD_HEADER_BYTES,
                    record.length - RecordCodec.RECORD_HEADER_BYTES,
                    new SharedStrings(RecordCodec.SHARED_STRINGS));
            assertThat(decoded.envelope()).isEqualTo(message.envelope());
            assertThat(decoded.contentBytes()).isEqualTo(message.content().length);
        }
    }

    /** The source IP rides in the flags byte's second bit: records without it keep the old bytes (above). */
    @Test
    void theSourceIpIsKeptAndOldRecordsReadBackWithoutOne() throws Exception {
        Instant at = Instant.parse("2026-03-01T08:00:00Z");
        for (Optional<String> set : List.of(Optional.<String>empty(), Optional.of("set-a"))) {
            Envelope envelope = new Envelope(
                    "m-ip",
                    "acct",
                    set,
                    "pool",
                    "from@example.com",
                    List.of("x@y.example"),
                    at,
                    at.plusSeconds(1),
                    TlsPolicy.OPTIONAL,
                    Map.of("t", List.of("v")),
                    "2001:db8::7");
            SpooledMessage message = new SpooledMessage(envelope, "body".getBytes(StandardCharsets.UTF_8));
            byte[] record = RecordCodec.message(message);
            RecordCodec.DecodedEnvelope decoded = RecordCodec.decodeEnvelope(
                    record,
                    RecordCodec.RECORD_HEADER_BYTES,
                    record.length - RecordCodec.RECORD_HEADER_BYTES,
                    new SharedStrings(RecordCodec.SHARED_STRINGS));
            assertThat(decoded.envelope()).isEqualTo(envelope);

            SpooledMessage old = new SpooledMessage(envelope.withRecipients(envelope.recipients()), message.content());
            byte[] oldRecord = withStreams(old); // the format before the source IP was kept
            assertThat(RecordCodec.decodeEnvelope(
                                    oldRecord,
                                    RecordCodec.RECORD_HEADER_BYTES,
                                    oldRecord.length - RecordCodec.RECORD_HEADER_BYTES,
                                    new SharedStrings(RecordCodec.SHARED_STRINGS))
                            .envelope()
                            .sourceIp())
                    .isEmpty();
        }
    }

    /** The former encoder: every field through a DataOutputStream, then the header filled in. */
    private static byte[] withStreams(SpooledMessage message) throws IOException {
        Envelope e = message.envelope();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(new byte[RecordCodec.RECORD_HEADER_BYTES]);
            string(out, e.messageId());
            string(out, e.accountId());
            out.writeBoolean(e.configurationSet().isPresent());
            if (e.configurationSet().isPresent()) {
                string(out, e.configurationSet().get());
            }
            string(out, e.poolName());
            string(out, e.mailFrom());
            strings(out, e.recipients());
            out.writeLong(e.acceptedAt().getEpochSecond());
            out.writeInt(e.acceptedAt().getNano());
            out.writeLong(e.expiresAt().getEpochSecond());
            out.writeInt(e.expiresAt().getNano());
            string(out, e.tlsPolicy().name());
            out.writeInt(e.tags().size());
            for (Map.Entry<String, List<String>> tag : e.tags().entrySet()) {
                string(out, tag.getKey());
                strings(out, tag.getValue());
            }
            out.writeInt(message.content().length);
            out.write(message.content());
        }
        byte[] frame = bytes.toByteArray();
        int length = frame.length - RecordCodec.RECORD_HEADER_BYTES;
        ByteBuffer header = ByteBuffer.wrap(frame);
        header.putInt(0, RecordCodec.RECORD_MAGIC)
                .put(4, RecordCodec.Type.MESSAGE.code)
                .putInt(5, length);
        header.putInt(9, RecordCodec.checksum(frame, frame, RecordCodec.RECORD_HEADER_BYTES, length));
        return frame;
    }

    private static void string(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static void strings(DataOutputStream out, List<String> values) throws IOException {
        out.writeInt(values.size());
        for (String value : values) {
            string(out, value);
        }
    }
}
