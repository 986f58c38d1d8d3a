package io.poolmta.spool;

/** The spool's framed MESSAGE record of a message, for benchmarks outside this package. */
public final class SpoolFrames {
    private SpoolFrames() {}

    public static byte[] message(SpooledMessage message) {
        return RecordCodec.message(message);
    }
}
