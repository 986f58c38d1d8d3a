package io.poolmta.spool;

/**
 * The spool's framed MESSAGE record of a message, for benchmarks outside this package: the part the
 * spool builds per message (header, envelope fields, checksum over them and the content); the
 * content itself is written from the message's own array.
 */
public final class SpoolFrames {
    private SpoolFrames() {}

    public static byte[] message(SpooledMessage message) {
        return RecordCodec.messageFrame(message).head();
    }
}
