package io.poolmta.nodelink;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * The node link's wire format, inside TLS. All integers big-endian, strings an int byte count and
 * UTF-8.
 * <pre>
 *   client, once:  int MAGIC "PMNL", int VERSION, string sender node
 *   client:        byte HAND_OVER, int attempts so far, int n, n bytes: the spool's MESSAGE record
 *   server:        byte STORED or RETRY, string reason
 * </pre>
 * The MESSAGE record is the one the spool writes (envelope with message id, account, configuration
 * set, pool, sender, recipients, acceptance and expiry times, TLS policy, tags, source IP, return
 * path; content; CRC32), so it arrives byte for byte. STORED comes only after the receiver's
 * spool holds the message on stable storage; RETRY means it does not, and the sender keeps it.
 */
final class LinkProtocol {
    static final int MAGIC = 0x504D4E4C; // "PMNL"
    static final int VERSION = 1;
    static final byte HAND_OVER = 1;
    static final byte STORED = 0;
    static final byte RETRY = 1;
    /** The largest record a link accepts: above SES's 40 MB message limit, with room for the envelope. */
    static final int MAX_RECORD_BYTES = 64 << 20;

    private static final int MAX_STRING_BYTES = 64 * 1024;

    private LinkProtocol() {}

    static void writeString(DataOutputStream out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeInt(bytes.length);
        out.write(bytes);
    }

    static String readString(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_STRING_BYTES) {
            throw new IOException("string of " + length + " bytes on the node link");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    static byte[] readRecord(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > MAX_RECORD_BYTES) {
            throw new IOException("message record of " + length + " bytes on the node link");
        }
        byte[] record = new byte[length];
        in.readFully(record);
        return record;
    }

    /** The next byte, or -1 at a clean end of the stream. */
    static int readOp(DataInputStream in) throws IOException {
        try {
            return in.readUnsignedByte();
        } catch (EOFException end) {
            return -1;
        }
    }
}
