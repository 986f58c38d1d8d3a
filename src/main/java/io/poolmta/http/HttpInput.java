package io.poolmta.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The read side of one HTTP connection: a buffer over the socket's stream, read in lines (the
 * head, chunk sizes) and in exact byte counts (bodies). Lines end in CRLF or a bare LF, may not hold
 * a NUL or a bare CR, and together count against {@link #MAX_HEAD_BYTES} from one
 * {@link #startHead} to the next. Bytes read past a request stay buffered for the next one
 * (pipelining). Used by one thread.
 */
final class HttpInput {
    /** Request line and headers together: eight times Tomcat's and Jetty's default of 8 KiB. */
    static final int MAX_HEAD_BYTES = 64 * 1024;

    private final InputStream in;
    private final byte[] buffer = new byte[16 * 1024];
    private int position;
    private int limit;
    private int headBytes;

    HttpInput(InputStream in) {
        this.in = in;
    }

    /** Starts counting lines against {@link #MAX_HEAD_BYTES} afresh. */
    void startHead() {
        headBytes = 0;
    }

    /** True when nothing is buffered: the client has not sent more than what was read. */
    boolean drained() {
        return position == limit;
    }

    /** Waits for bytes when none are buffered; false at the end of the stream. */
    boolean await() throws IOException {
        if (position < limit) {
            return true;
        }
        position = 0;
        limit = 0;
        int n = in.read(buffer, 0, buffer.length);
        if (n < 0) {
            return false;
        }
        limit = n;
        return true;
    }

    /** One line without its CRLF (or bare LF), ISO-8859-1. */
    String line() throws IOException, MalformedRequestException {
        int start = position;
        while (true) {
            for (int i = position; i < limit; i++) {
                if (buffer[i] == '\n') {
                    int end = i > start && buffer[i - 1] == '\r' ? i - 1 : i;
                    headBytes += i + 1 - start;
                    if (headBytes > MAX_HEAD_BYTES) {
                        throw new MalformedRequestException(
                                "The request head is larger than " + MAX_HEAD_BYTES + " bytes.");
                    }
                    position = i + 1;
                    for (int j = start; j < end; j++) {
                        if (buffer[j] == 0 || buffer[j] == '\r') {
                            throw new MalformedRequestException("The request head holds a NUL or a bare CR.");
                        }
                    }
                    return new String(buffer, start, end - start, StandardCharsets.ISO_8859_1);
                }
            }
            if (headBytes + (limit - start) > MAX_HEAD_BYTES) {
                throw new MalformedRequestException("The request head is larger than " + MAX_HEAD_BYTES + " bytes.");
            }
            // the line goes on past the buffer: move it to the front and read more
            System.arraycopy(buffer, start, buffer, 0, limit - start);
            limit -= start;
            position = limit;
            start = 0;
            if (limit == buffer.length) {
                throw new MalformedRequestException("A header line is longer than " + buffer.length + " bytes.");
            }
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                throw new IOException("connection closed in the request head");
            }
            limit += n;
        }
    }

    /** Reads exactly {@code length} bytes: first what is buffered, then from the socket. */
    void read(byte[] into, int offset, int length) throws IOException {
        int buffered = Math.min(length, limit - position);
        System.arraycopy(buffer, position, into, offset, buffered);
        position += buffered;
        int done = buffered;
        while (done < length) {
            int n = in.read(into, offset + done, length - done);
            if (n < 0) {
                throw new IOException("connection closed in the request body");
            }
            done += n;
        }
    }

    /** Reads and drops exactly {@code length} bytes. */
    void skip(long length) throws IOException {
        long left = length;
        while (left > 0) {
            if (!await()) {
                throw new IOException("connection closed in the request body");
            }
            int n = (int) Math.min(left, limit - position);
            position += n;
            left -= n;
        }
    }

    /** Reads and drops whatever comes, until the end of the stream or {@code max} bytes. */
    void discard(long max) throws IOException {
        long left = max;
        while (left > 0 && await()) {
            int n = (int) Math.min(left, limit - position);
            position += n;
            left -= n;
        }
    }
}
