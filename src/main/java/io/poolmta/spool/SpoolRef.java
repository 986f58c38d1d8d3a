package io.poolmta.spool;

/**
 * Where a stored message's MESSAGE record lies: segment number, byte offset of the record in that
 * segment, the record's length (header included) and the length of the content at its end. The
 * bytes stay on disk; {@link Spool#content} reads them back when the message is attempted.
 */
public record SpoolRef(long segment, long offset, int frameBytes, int contentBytes) {
    public SpoolRef {
        if (segment < 0
                || offset < 0
                || contentBytes < 0
                || frameBytes < RecordCodec.RECORD_HEADER_BYTES + contentBytes) {
            throw new IllegalArgumentException("impossible spool reference: " + segment + "@" + offset + " frame "
                    + frameBytes + " content " + contentBytes);
        }
    }
}
