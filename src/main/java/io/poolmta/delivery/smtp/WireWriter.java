package io.poolmta.delivery.smtp;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;

/**
 * Writes a message's wire form ({@link WireContent}: its body and tail) and the command lines that
 * follow it in one pipelined group, in writes of at most {@link #CHUNK} bytes: the pieces are
 * gathered into a buffer of that size, and a write is made only when it is full and at the end, so
 * a 50 KB message and the next transaction's commands still go out in one write (one system call,
 * or one run of TLS records). Whole chunks of a large body are written straight from it. The
 * buffers are shared by every connection and reused: the content is copied once, into memory that
 * is already there, instead of into a new array of its size per delivery. At most {@link #KEPT}
 * buffers are kept while no write uses them.
 */
final class WireWriter {
    static final int CHUNK = 64 * 1024;
    private static final int KEPT = 32;
    private static final ArrayBlockingQueue<byte[]> FREE = new ArrayBlockingQueue<>(KEPT);
    private static final byte[] CRLF = {'\r', '\n'};

    /** Where the writes go; each must be taken within the connection's write timeout. */
    interface Sink {
        void write(byte[] bytes, int offset, int length) throws IOException;
    }

    private WireWriter() {}

    /** Writes {@code content}'s wire form, then each of {@code lines} followed by CRLF. */
    static void write(Sink sink, WireContent content, List<byte[]> lines) throws IOException {
        byte[] buffer = FREE.poll();
        if (buffer == null) {
            buffer = new byte[CHUNK];
        }
        try {
            int fill = add(sink, buffer, 0, content.body());
            fill = add(sink, buffer, fill, content.tail());
            for (byte[] line : lines) {
                fill = add(sink, buffer, fill, line);
                fill = add(sink, buffer, fill, CRLF);
            }
            if (fill > 0) {
                sink.write(buffer, 0, fill);
            }
        } finally {
            FREE.offer(buffer); // not while a write still uses it: the sink returned or threw
        }
    }

    /** Adds {@code source} after the {@code fill} bytes in {@code buffer}, writing each full buffer; returns the new fill. */
    private static int add(Sink sink, byte[] buffer, int fill, byte[] source) throws IOException {
        int at = 0;
        while (at < source.length) {
            if (fill == 0 && source.length - at >= buffer.length) {
                sink.write(source, at, buffer.length); // a whole chunk: no need to copy it
                at += buffer.length;
                continue;
            }
            int n = Math.min(buffer.length - fill, source.length - at);
            System.arraycopy(source, at, buffer, fill, n);
            fill += n;
            at += n;
            if (fill == buffer.length) {
                sink.write(buffer, 0, fill);
                fill = 0;
            }
        }
        return fill;
    }
}
