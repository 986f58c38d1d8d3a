package io.poolmta.spool;

import io.poolmta.common.SharedStrings;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A stored message in the spool's own MESSAGE record format, for carrying it elsewhere byte for
 * byte (the cluster's node link): {@link #encode} frames it exactly as the spool writes it (every
 * envelope field, the content, a CRC32), {@link #decode} reads such a frame back and refuses one
 * that is not intact, so a message moved between nodes is the message each spool stores.
 */
public final class MessageRecords {
    private MessageRecords() {}

    public static byte[] encode(SpooledMessage message) {
        return RecordCodec.message(message);
    }

    /** The message in {@code frame}; {@link SpoolException} when the frame is not an intact MESSAGE record. */
    public static SpooledMessage decode(byte[] frame) {
        if (frame.length < RecordCodec.RECORD_HEADER_BYTES) {
            throw new SpoolException(
                    "a MESSAGE record is at least " + RecordCodec.RECORD_HEADER_BYTES + " bytes", null);
        }
        ByteBuffer header = ByteBuffer.wrap(frame);
        int length = frame.length - RecordCodec.RECORD_HEADER_BYTES;
        if (header.getInt(0) != RecordCodec.RECORD_MAGIC
                || frame[4] != RecordCodec.Type.MESSAGE.code
                || header.getInt(5) != length) {
            throw new SpoolException("not a MESSAGE record of " + frame.length + " bytes", null);
        }
        if (RecordCodec.checksum(frame, frame, RecordCodec.RECORD_HEADER_BYTES, length) != header.getInt(9)) {
            throw new SpoolException("MESSAGE record checksum mismatch", null);
        }
        try {
            RecordCodec.DecodedEnvelope decoded =
                    RecordCodec.decodeEnvelope(frame, RecordCodec.RECORD_HEADER_BYTES, length, new SharedStrings(64));
            int start = RecordCodec.RECORD_HEADER_BYTES + decoded.contentOffset();
            return new SpooledMessage(decoded.envelope(), Arrays.copyOfRange(frame, start, frame.length));
        } catch (RecordCodec.CorruptRecordException e) {
            throw new SpoolException("MESSAGE record does not parse: " + e.getMessage(), e);
        }
    }
}
