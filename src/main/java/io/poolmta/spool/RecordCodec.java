package io.poolmta.spool;

import io.poolmta.common.SharedStrings;
import io.poolmta.message.Envelope;
import io.poolmta.message.TlsPolicy;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * The spool's on-disk format. A segment file starts with {@link #FILE_HEADER_BYTES} bytes (file
 * magic, format version) followed by records:
 * <pre>
 *   offset 0  int   RECORD_MAGIC
 *          4  byte  type (1 = MESSAGE, 2 = RECIPIENT_DONE)
 *          5  int   payload length
 *          9  int   CRC32 of bytes 4..8 (type, length) and of the payload
 *         13  payload
 * </pre>
 * All integers are big-endian; strings are an int byte count followed by UTF-8. A MESSAGE payload
 * is every {@link Envelope} field in declaration order (instants as epoch second + nano, the TLS
 * policy by name, tags as a map of lists) followed by the content bytes, except the source IP: the
 * byte before the optional configuration set is a set of flags (1: a configuration set follows,
 * 2: then the source IP, 4: then the return path's domain), so records written before the source
 * IP or the return path was kept read back with an empty one. A RECIPIENT_DONE payload
 * is the message id and the recipient. Decoding never trusts a count: a payload that does not parse
 * exactly is a {@link CorruptRecordException}.
 */
final class RecordCodec {
    static final int FILE_MAGIC = 0x504D5350; // "PMSP"
    static final int FORMAT_VERSION = 1;
    static final int FILE_HEADER_BYTES = 8;
    static final int RECORD_MAGIC = 0x504D5252; // "PMRR"
    static final int RECORD_HEADER_BYTES = 13;
    /** Envelope flags: a configuration set follows; a source IP follows (after the set, if any). */
    static final int HAS_CONFIGURATION_SET = 1;

    static final int HAS_SOURCE_IP = 2;
    static final int HAS_RETURN_PATH = 4;
    /** Room for the record header inside one Java array. */
    static final int MAX_PAYLOAD_BYTES = Integer.MAX_VALUE - 64;
    /** Distinct strings a recovery shares (account ids, pool and set names, senders, tags). */
    static final int SHARED_STRINGS = 1 << 16;

    enum Type {
        MESSAGE(1),
        RECIPIENT_DONE(2);

        final byte code;

        Type(int code) {
            this.code = (byte) code;
        }

        static Optional<Type> of(byte code) {
            for (Type type : values()) {
                if (type.code == code) {
                    return Optional.of(type);
                }
            }
            return Optional.empty();
        }
    }

    record Done(String messageId, String recipient) {}

    /** A record whose frame is intact (checksum good) but whose payload does not parse. */
    static final class CorruptRecordException extends IOException {
        CorruptRecordException(String message) {
            super(message);
        }
    }

    private RecordCodec() {}

    static byte[] fileHeader() {
        return ByteBuffer.allocate(FILE_HEADER_BYTES)
                .putInt(FILE_MAGIC)
                .putInt(FORMAT_VERSION)
                .array();
    }

    /**
     * The complete framed MESSAGE record, written into one array of the exact size (RecordCodecTest
     * holds it to the field-by-field DataOutputStream writing it replaced): {@link #messageFrame}'s
     * two parts joined, for carrying a record elsewhere.
     */
    static byte[] message(SpooledMessage message) {
        return messageFrame(message).toBytes();
    }

    /**
     * A framed MESSAGE record in two parts that the spool writes one after the other with a
     * gathering write: {@code head} (the record header and every envelope field, up to and including
     * the content's length) and {@code content}, the message's own array, not copied. The header's
     * checksum covers both, exactly as if they were one array.
     */
    record MessageFrame(byte[] head, byte[] content) {
        int length() {
            return head.length + content.length;
        }

        byte[] toBytes() {
            byte[] frame = Arrays.copyOf(head, length());
            System.arraycopy(content, 0, frame, head.length, content.length);
            return frame;
        }
    }

    /** The MESSAGE record of {@code message} without copying its content (see {@link MessageFrame}). */
    static MessageFrame messageFrame(SpooledMessage message) {
        Envelope e = message.envelope();
        byte[] content = message.content();
        List<byte[]> strings =
                new ArrayList<>(9 + e.recipients().size() + 3 * e.tags().size());
        long size = 1 + 4 * 3 + 12 * 2 + (long) content.length; // flag, 3 counts, 2 instants, content
        size += utf8(strings, e.messageId()) + utf8(strings, e.accountId());
        if (e.configurationSet().isPresent()) {
            size += utf8(strings, e.configurationSet().get());
        }
        if (!e.sourceIp().isEmpty()) {
            size += utf8(strings, e.sourceIp());
        }
        if (!e.returnPathDomain().isEmpty()) {
            size += utf8(strings, e.returnPathDomain());
        }
        size += utf8(strings, e.poolName()) + utf8(strings, e.mailFrom());
        for (String recipient : e.recipients()) {
            size += utf8(strings, recipient);
        }
        size += utf8(strings, e.tlsPolicy().name());
        for (Map.Entry<String, List<String>> tag : e.tags().entrySet()) {
            size += 4 + utf8(strings, tag.getKey());
            for (String value : tag.getValue()) {
                size += utf8(strings, value);
            }
        }
        if (size > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException(
                    "record too large for the spool: " + (size + RECORD_HEADER_BYTES) + " bytes");
        }
        byte[] head = new byte[RECORD_HEADER_BYTES + (int) size - content.length];
        ByteBuffer out = ByteBuffer.wrap(head).position(RECORD_HEADER_BYTES);
        int next = 0;
        out.put(strings.get(next++)).put(strings.get(next++)); // message id, account
        out.put((byte) ((e.configurationSet().isPresent() ? HAS_CONFIGURATION_SET : 0)
                | (e.sourceIp().isEmpty() ? 0 : HAS_SOURCE_IP)
                | (e.returnPathDomain().isEmpty() ? 0 : HAS_RETURN_PATH)));
        if (e.configurationSet().isPresent()) {
            out.put(strings.get(next++));
        }
        if (!e.sourceIp().isEmpty()) {
            out.put(strings.get(next++));
        }
        if (!e.returnPathDomain().isEmpty()) {
            out.put(strings.get(next++));
        }
        out.put(strings.get(next++)).put(strings.get(next++)); // pool, MAIL FROM
        out.putInt(e.recipients().size());
        for (int i = 0; i < e.recipients().size(); i++) {
            out.put(strings.get(next++));
        }
        out.putLong(e.acceptedAt().getEpochSecond()).putInt(e.acceptedAt().getNano());
        out.putLong(e.expiresAt().getEpochSecond()).putInt(e.expiresAt().getNano());
        out.put(strings.get(next++)); // TLS policy
        out.putInt(e.tags().size());
        for (Map.Entry<String, List<String>> tag : e.tags().entrySet()) {
            out.put(strings.get(next++));
            out.putInt(tag.getValue().size());
            for (int i = 0; i < tag.getValue().size(); i++) {
                out.put(strings.get(next++));
            }
        }
        out.putInt(content.length);
        if (out.hasRemaining()) {
            throw new IllegalStateException("MESSAGE record size miscounted by " + out.remaining() + " bytes");
        }
        int length = (int) size;
        out.putInt(0, RECORD_MAGIC).put(4, Type.MESSAGE.code).putInt(5, length);
        CRC32 crc = new CRC32();
        crc.update(head, 4, 5);
        crc.update(head, RECORD_HEADER_BYTES, head.length - RECORD_HEADER_BYTES);
        crc.update(content, 0, content.length);
        out.putInt(9, (int) crc.getValue());
        return new MessageFrame(head, content);
    }

    /** Adds a string's length-prefixed UTF-8 form to {@code strings}; returns its size. */
    private static int utf8(List<byte[]> strings, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        byte[] prefixed = new byte[4 + bytes.length];
        ByteBuffer.wrap(prefixed).putInt(bytes.length).put(bytes);
        strings.add(prefixed);
        return prefixed.length;
    }

    /** The complete framed RECIPIENT_DONE record. */
    static byte[] recipientDone(String messageId, String recipient) {
        return frame(Type.RECIPIENT_DONE, 64, out -> {
            writeString(out, messageId);
            writeString(out, recipient);
        });
    }

    /** A MESSAGE payload read back without its content: the envelope and where the content starts. */
    record DecodedEnvelope(Envelope envelope, int contentOffset, int contentBytes) {}

    /**
     * Parses every envelope field of the MESSAGE payload at {@code buffer[offset, offset + length)}
     * and checks that exactly the content follows, without copying it. {@code contentOffset} is
     * relative to the payload.
     */
    static DecodedEnvelope decodeEnvelope(byte[] buffer, int offset, int length, SharedStrings interner)
            throws CorruptRecordException {
        ByteArrayInputStream bytes = new ByteArrayInputStream(buffer, offset, length);
        try (DataInputStream in = new DataInputStream(bytes)) {
            String messageId = readString(in);
            String accountId = interner.share(readString(in));
            int flags = in.readUnsignedByte();
            if ((flags & ~(HAS_CONFIGURATION_SET | HAS_SOURCE_IP | HAS_RETURN_PATH)) != 0) {
                throw new CorruptRecordException("unknown envelope flags " + flags);
            }
            Optional<String> configurationSet =
                    (flags & HAS_CONFIGURATION_SET) != 0 ? interner.optional(readString(in)) : Optional.empty();
            String sourceIp = (flags & HAS_SOURCE_IP) != 0 ? interner.share(readString(in)) : "";
            String returnPathDomain = (flags & HAS_RETURN_PATH) != 0 ? interner.share(readString(in)) : "";
            String poolName = interner.share(readString(in));
            String mailFrom = interner.share(readString(in));
            List<String> recipients = readStrings(in);
            Instant acceptedAt = readInstant(in);
            Instant expiresAt = readInstant(in);
            TlsPolicy tlsPolicy = TlsPolicy.valueOf(readString(in));
            int tagCount = readCount(in, 8);
            Map<String, List<String>> tags = HashMap.newHashMap(tagCount);
            for (int i = 0; i < tagCount; i++) {
                tags.put(interner.share(readString(in)), interner.list(readStrings(in)));
            }
            int contentBytes = readCount(in, 1);
            if (contentBytes != bytes.available()) {
                throw new CorruptRecordException(
                        "content of " + contentBytes + " bytes but " + bytes.available() + " bytes left");
            }
            Envelope envelope = new Envelope(
                    messageId,
                    accountId,
                    configurationSet,
                    poolName,
                    mailFrom,
                    recipients,
                    acceptedAt,
                    expiresAt,
                    tlsPolicy,
                    tags,
                    sourceIp,
                    returnPathDomain);
            return new DecodedEnvelope(envelope, length - contentBytes, contentBytes);
        } catch (CorruptRecordException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CorruptRecordException("payload does not parse: " + e);
        }
    }

    /**
     * The content of the MESSAGE record {@code frame} (read back in two parts) that {@code ref}
     * points at, after checking its magic, type, length and checksum: the frame's own content
     * array, not a copy.
     */
    static byte[] content(MessageFrame frame, SpoolRef ref) throws CorruptRecordException {
        byte[] head = frame.head();
        int length = frame.length() - RECORD_HEADER_BYTES;
        if (head.length < RECORD_HEADER_BYTES + 4) {
            throw new CorruptRecordException("no MESSAGE record of " + frame.length() + " bytes at " + ref);
        }
        ByteBuffer header = ByteBuffer.wrap(head);
        if (header.getInt(0) != RECORD_MAGIC || head[4] != Type.MESSAGE.code || header.getInt(5) != length) {
            throw new CorruptRecordException("no MESSAGE record of " + frame.length() + " bytes at " + ref);
        }
        CRC32 crc = new CRC32();
        crc.update(head, 4, 5);
        crc.update(head, RECORD_HEADER_BYTES, head.length - RECORD_HEADER_BYTES);
        crc.update(frame.content(), 0, frame.content().length);
        if ((int) crc.getValue() != header.getInt(9)) {
            throw new CorruptRecordException("checksum mismatch at " + ref);
        }
        if (header.getInt(head.length - 4) != ref.contentBytes() || frame.content().length != ref.contentBytes()) {
            throw new CorruptRecordException("content length mismatch at " + ref);
        }
        return frame.content();
    }

    static Done decodeDone(byte[] buffer, int offset, int length) throws CorruptRecordException {
        return decode(new ByteArrayInputStream(buffer, offset, length), in -> new Done(readString(in), readString(in)));
    }

    /** CRC32 over the type, the length (as written in the header) and the payload. */
    static int checksum(byte[] header, byte[] payload, int payloadOffset, int payloadLength) {
        return checksum(header, 0, payload, payloadOffset, payloadLength);
    }

    /** The same, for a record header that starts at {@code headerOffset}. */
    static int checksum(byte[] header, int headerOffset, byte[] payload, int payloadOffset, int payloadLength) {
        CRC32 crc = new CRC32();
        crc.update(header, headerOffset + 4, 5);
        crc.update(payload, payloadOffset, payloadLength);
        return (int) crc.getValue();
    }

    private interface Writer {
        void write(DataOutputStream out) throws IOException;
    }

    private interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    private static byte[] frame(Type type, int sizeHint, Writer writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(RECORD_HEADER_BYTES + sizeHint);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(new byte[RECORD_HEADER_BYTES]);
            writer.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        if (bytes.size() - RECORD_HEADER_BYTES > MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("record too large for the spool: " + bytes.size() + " bytes");
        }
        byte[] frame = bytes.toByteArray();
        seal(type, frame);
        return frame;
    }

    /** Fills in the record header of a frame whose payload is written: magic, type, length, checksum. */
    private static void seal(Type type, byte[] frame) {
        int length = frame.length - RECORD_HEADER_BYTES;
        ByteBuffer header = ByteBuffer.wrap(frame);
        header.putInt(0, RECORD_MAGIC).put(4, type.code).putInt(5, length);
        header.putInt(9, checksum(frame, frame, RECORD_HEADER_BYTES, length));
    }

    private static <T> T decode(ByteArrayInputStream bytes, Reader<T> reader) throws CorruptRecordException {
        try (DataInputStream in = new DataInputStream(bytes)) {
            T value = reader.read(in);
            if (bytes.available() != 0) {
                throw new CorruptRecordException(bytes.available() + " unexpected bytes after the payload");
            }
            return value;
        } catch (CorruptRecordException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new CorruptRecordException("payload does not parse: " + e);
        }
    }

    private static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    private static String readString(DataInputStream in) throws IOException {
        return new String(readBytes(in), StandardCharsets.UTF_8);
    }

    private static byte[] readBytes(DataInputStream in) throws IOException {
        int length = readCount(in, 1);
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return bytes;
    }

    private static List<String> readStrings(DataInputStream in) throws IOException {
        int count = readCount(in, 4);
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            values.add(readString(in));
        }
        return values;
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    /** A count of items each at least {@code minItemBytes} long: never more than the bytes left can hold. */
    private static int readCount(DataInputStream in, int minItemBytes) throws IOException {
        int count = in.readInt();
        if (count < 0 || (long) count * minItemBytes > in.available()) {
            throw new CorruptRecordException("count " + count + " does not fit the " + in.available() + " bytes left");
        }
        return count;
    }
}
