package io.poolmta.http;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * A request's body as its head frames it (RFC 9112 6): by {@code Content-Length} (one value, or
 * repeats that agree) or by {@code Transfer-Encoding: chunked} (chunk extensions and trailer
 * fields read and ignored), never both, and none at all without either. A body over the limit is
 * read and dropped up to {@link HttpServer#MAX_DRAIN_BYTES}, so that the connection stays in step
 * and the client hears the refusal; beyond that it is left unread and the connection must close.
 *
 * @param bytes    the body, read in full (empty when too large)
 * @param tooLarge longer than the limit
 * @param drained  the body was read to its end (always, unless too large beyond the drain limit)
 */
record HttpRequestBody(byte[] bytes, boolean tooLarge, boolean drained) {
    private static final byte[] NONE = new byte[0];

    /** Sends the interim {@code 100 Continue} to a client that asked for it, before its body is read. */
    @FunctionalInterface
    interface Continuation {
        void sendContinue() throws IOException;
    }

    static HttpRequestBody read(
            HttpInput in, Map<String, List<String>> headers, long max, boolean http10, Continuation continuation)
            throws IOException, MalformedRequestException {
        List<String> lengths = headers.get("content-length");
        List<String> codings = headers.get("transfer-encoding");
        if (codings != null) {
            if (lengths != null) {
                throw new MalformedRequestException("A request has Content-Length or Transfer-Encoding, not both.");
            }
            if (http10 || codings.size() != 1 || !codings.getFirst().equalsIgnoreCase("chunked")) {
                throw new MalformedRequestException("The only transfer coding taken is chunked.");
            }
            continuation.sendContinue();
            return chunked(in, max);
        }
        if (lengths == null) {
            return new HttpRequestBody(NONE, false, true);
        }
        long length = contentLength(lengths);
        if (length > max) {
            if (length > HttpServer.MAX_DRAIN_BYTES) {
                return new HttpRequestBody(NONE, true, false);
            }
            continuation.sendContinue();
            in.skip(length);
            return new HttpRequestBody(NONE, true, true);
        }
        continuation.sendContinue();
        byte[] bytes = new byte[(int) length];
        in.read(bytes, 0, bytes.length);
        return new HttpRequestBody(bytes, false, true);
    }

    private static long contentLength(List<String> values) throws MalformedRequestException {
        long length = -1;
        for (String value : values) {
            for (String part : value.split(",", -1)) {
                String digits = part.strip();
                if (digits.isEmpty() || digits.length() > 18 || !digits.chars().allMatch(c -> c >= '0' && c <= '9')) {
                    throw new MalformedRequestException("Content-Length is not a number.");
                }
                long n = Long.parseLong(digits);
                if (length >= 0 && n != length) {
                    throw new MalformedRequestException("Content-Length is given twice, with different values.");
                }
                length = n;
            }
        }
        return length;
    }

    private static HttpRequestBody chunked(HttpInput in, long max) throws IOException, MalformedRequestException {
        byte[] bytes = new byte[(int) Math.min(max, 8192)];
        long size = 0;
        boolean tooLarge = false;
        while (true) {
            in.startHead(); // each chunk line is limited on its own, not as part of the head
            String line = in.line();
            int semicolon = line.indexOf(';');
            String hex = (semicolon < 0 ? line : line.substring(0, semicolon)).strip();
            if (hex.isEmpty() || hex.length() > 15 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw new MalformedRequestException("A chunk size is not a hexadecimal number.");
            }
            long chunk = Long.parseLong(hex, 16);
            if (chunk == 0) {
                break;
            }
            if (size + chunk > HttpServer.MAX_DRAIN_BYTES) {
                return new HttpRequestBody(NONE, true, false);
            }
            if (tooLarge || size + chunk > max) {
                tooLarge = true;
                in.skip(chunk);
            } else {
                if (size + chunk > bytes.length) {
                    bytes = Arrays.copyOf(bytes, (int) Math.min(max, Math.max(size + chunk, 2L * bytes.length)));
                }
                in.read(bytes, (int) size, (int) chunk);
            }
            size += chunk;
            in.startHead();
            if (!in.line().isEmpty()) {
                throw new MalformedRequestException("A chunk does not end with CRLF.");
            }
        }
        in.startHead();
        while (!in.line().isEmpty()) {
            // trailer fields: read and ignored (within HttpInput.MAX_HEAD_BYTES)
        }
        return tooLarge
                ? new HttpRequestBody(NONE, true, true)
                : new HttpRequestBody(size == bytes.length ? bytes : Arrays.copyOf(bytes, (int) size), false, true);
    }
}
