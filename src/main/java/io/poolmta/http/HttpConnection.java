package io.poolmta.http;

import io.poolmta.common.SocketDeadline;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One HTTP/1.1 connection, served by one platform thread with blocking reads: requests
 * are read one after another (keep-alive; {@code Connection: close} ends it, and HTTP/1.0 gets one
 * request), each in full, and each response goes out in one write. A request is a request line
 * {@code METHOD SP target SP HTTP/1.x} and header lines within {@link HttpInput#MAX_HEAD_BYTES},
 * then a body as {@link HttpRequestBody} frames it; folded header lines, a header name with
 * spaces, a version other than 1.0 and 1.1 or any other malformed head is answered with the
 * application's {@link Refusals#malformed} and the connection is closed. {@code Expect:
 * 100-continue} gets its interim answer before the body is read.
 * <p>
 * Deadlines, kept by {@link SocketDeadline} (not {@code SO_TIMEOUT}, which costs a poll per wait):
 * an idle keep-alive connection is closed after {@code idleNanos}; once a request's first line
 * has arrived the rest of it must arrive within {@code requestNanos}, and its response be taken by
 * the client within as much again; the endpoint's own work has no deadline here. A connection the
 * server ends is closed lingeringly (see {@link #lingeringClose}) so that the client reads its
 * last response rather than a reset.
 */
final class HttpConnection implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpConnection.class);
    static final int MAX_HEADERS = 200;
    private static final Duration LINGER = Duration.ofSeconds(2);
    private static final long MAX_LINGER_BYTES = 1 << 20;

    /** What the connection hands each complete request to; returns the response to write. */
    interface Handler {
        /** The endpoint serving a path, or null when none does. */
        Endpoint endpoint(String rawPath);

        /** The endpoint's response, or the refusal its failure becomes (never throws). */
        HttpResponse handle(Endpoint endpoint, HttpRequest request);

        /** The application's wording of refusals and failures. */
        Refusals refusals();

        String newRequestId();

        String date();
    }

    private final Socket socket;
    private final Handler handler;
    private final Refusals refusals;
    private final long idleNanos;
    private final long requestNanos;
    private final SocketDeadline deadline;
    private final HttpInput input;
    private final OutputStream out;

    HttpConnection(Socket socket, Handler handler, long idleNanos, long requestNanos) throws IOException {
        this.socket = socket;
        this.handler = handler;
        this.refusals = handler.refusals();
        this.idleNanos = idleNanos;
        this.requestNanos = requestNanos;
        this.deadline = new SocketDeadline(socket);
        this.input = new HttpInput(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    private String clientAddress() {
        return socket.getInetAddress() == null ? "" : socket.getInetAddress().getHostAddress();
    }

    @Override
    public void run() {
        try (socket) {
            boolean open = true;
            while (open) {
                open = serveOne();
            }
            lingeringClose();
        } catch (IOException e) {
            // the client went away, or a deadline passed: nothing to answer
        } finally {
            deadline.disarm();
        }
    }

    /**
     * Answers with {@code response} without reading a request, then closes lingeringly (a
     * connection refused as it arrives, e.g. over the server's limit). Never throws.
     */
    void answerAndClose(HttpResponse response) {
        try (socket) {
            deadline.arm(System.nanoTime() + requestNanos);
            write(handler.newRequestId(), response, true, false);
            lingeringClose();
        } catch (IOException e) {
            LOG.debug("answering a refused HTTP connection: {}", e.toString());
        } finally {
            deadline.disarm();
        }
    }

    /**
     * Ends our side and reads what the client still sends (briefly, within limits) before the
     * socket is closed: closing with unread bytes makes TCP reset the connection, and a reset can
     * destroy the response the client has not read yet (a refused request the client is still
     * sending, say).
     */
    private void lingeringClose() throws IOException {
        socket.shutdownOutput();
        deadline.arm(System.nanoTime() + LINGER.toNanos());
        input.discard(MAX_LINGER_BYTES);
    }

    /** Reads one request and answers it; false when the connection is to be closed. */
    private boolean serveOne() throws IOException {
        deadline.arm(System.nanoTime() + idleNanos);
        String requestLine;
        try {
            requestLine = firstLine();
        } catch (MalformedRequestException e) {
            return refuse(e);
        }
        if (requestLine == null) {
            return false; // closed between requests
        }
        deadline.arm(System.nanoTime() + requestNanos);
        try {
            return serve(requestLine);
        } catch (MalformedRequestException e) {
            return refuse(e);
        } catch (RuntimeException e) { // a bug here, not the client's: a 500 the fuzz tests would see
            String requestId = handler.newRequestId();
            LOG.error("request {} could not be read: {}", requestId, oneLine(requestLine), e);
            write(requestId, refusals.internalFailure(requestId), true, false);
            return false;
        } finally {
            deadline.disarm();
        }
    }

    private static String oneLine(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }

    private boolean serve(String requestLine) throws IOException, MalformedRequestException {
        int sp1 = requestLine.indexOf(' ');
        int sp2 = requestLine.indexOf(' ', sp1 + 1);
        if (sp1 <= 0 || sp2 < 0 || requestLine.indexOf(' ', sp2 + 1) >= 0) {
            throw new MalformedRequestException("The request line is not METHOD TARGET HTTP/1.1.");
        }
        String method = requestLine.substring(0, sp1);
        String target = requestLine.substring(sp1 + 1, sp2);
        String version = requestLine.substring(sp2 + 1);
        if (!isToken(method)) {
            throw new MalformedRequestException("The request method is not a token.");
        }
        boolean http10 = version.equals("HTTP/1.0");
        if (!http10 && !version.equals("HTTP/1.1")) {
            throw new MalformedRequestException("Only HTTP/1.1 and HTTP/1.0 are served.");
        }
        Map<String, List<String>> headers = headers();
        String rawPath;
        String rawQuery;
        if (target.startsWith("http://") || target.startsWith("https://")) { // absolute form: path and query count
            int slash = target.indexOf('/', target.indexOf("//") + 2);
            target = slash < 0 ? "/" : target.substring(slash);
        }
        if (!target.startsWith("/")) {
            throw new MalformedRequestException("The request target is not a path.");
        }
        int hash = target.indexOf('#');
        if (hash >= 0) {
            target = target.substring(0, hash);
        }
        int question = target.indexOf('?');
        rawPath = question < 0 ? target : target.substring(0, question);
        rawQuery = question < 0 ? null : target.substring(question + 1);

        String connection = first(headers, "connection");
        boolean close = http10 || connection != null && hasToken(connection, "close"); // 1.0: one request
        String requestId = handler.newRequestId();
        Endpoint endpoint = handler.endpoint(rawPath);
        long max = endpoint == null ? 0 : endpoint.maxBodyBytes(rawPath); // no endpoint: the body is only drained
        HttpRequestBody body = HttpRequestBody.read(input, headers, max, http10, () -> continueIfExpected(headers));
        close |= !body.drained();
        HttpResponse response;
        if (endpoint == null) {
            response = refusals.noEndpoint(rawPath);
        } else if (body.tooLarge()) {
            response = refusals.bodyTooLarge(max);
        } else {
            // no deadline while the endpoint works (a SendEmail cut off here would be sent again)
            deadline.disarm();
            response = handler.handle(
                    endpoint,
                    new HttpRequest(method, rawPath, rawQuery, headers, body.bytes(), requestId, clientAddress()));
            deadline.arm(System.nanoTime() + requestNanos);
        }
        write(requestId, response, close, method.equals("HEAD"));
        return !close;
    }

    /** Answers a request that could not be read and closes the connection. */
    private boolean refuse(MalformedRequestException e) throws IOException {
        deadline.arm(System.nanoTime() + requestNanos);
        String requestId = handler.newRequestId();
        write(requestId, refusals.malformed(e.getMessage()), true, false);
        return false;
    }

    // ------------------------------------------------------------------ head

    /** The request line, skipping empty lines before it (RFC 9112 2.2); null at end of stream before any byte. */
    private String firstLine() throws IOException, MalformedRequestException {
        input.startHead();
        String line;
        do {
            if (!input.await()) {
                return null;
            }
            line = input.line();
        } while (line.isEmpty());
        return line;
    }

    private Map<String, List<String>> headers() throws IOException, MalformedRequestException {
        Map<String, List<String>> headers = new HashMap<>();
        int count = 0;
        for (String line; !(line = input.line()).isEmpty(); ) {
            if (++count > MAX_HEADERS) {
                throw new MalformedRequestException("More than " + MAX_HEADERS + " header fields.");
            }
            char c = line.charAt(0);
            if (c == ' ' || c == '\t') {
                throw new MalformedRequestException("Folded header lines are not accepted.");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                throw new MalformedRequestException("A header line is not NAME: VALUE.");
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            headers.computeIfAbsent(name, k -> new ArrayList<>(1)).add(value);
        }
        return headers;
    }

    private void continueIfExpected(Map<String, List<String>> headers) throws IOException {
        String expect = first(headers, "expect");
        if (expect != null && expect.equalsIgnoreCase("100-continue") && input.drained()) {
            out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    // ------------------------------------------------------------------ response

    private void write(String requestId, HttpResponse response, boolean close, boolean head) throws IOException {
        byte[] body = response.body();
        StringBuilder h = new StringBuilder(256)
                .append("HTTP/1.1 ")
                .append(response.status())
                .append(' ')
                .append(reason(response.status()))
                .append("\r\n");
        header(h, refusals.requestIdHeader(), requestId);
        header(h, "Content-Type", response.contentType());
        for (Map.Entry<String, String> e : response.headers().entrySet()) {
            header(h, e.getKey(), e.getValue());
        }
        header(h, "Content-Length", Integer.toString(body.length));
        header(h, "Date", handler.date());
        if (close) {
            header(h, "Connection", "close");
        }
        h.append("\r\n");
        byte[] headBytes = h.toString().getBytes(StandardCharsets.ISO_8859_1);
        int bodyLength = head ? 0 : body.length;
        byte[] all = new byte[headBytes.length + bodyLength];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, bodyLength);
        out.write(all);
        out.flush();
    }

    private static void header(StringBuilder h, String name, String value) {
        h.append(name).append(": ");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            h.append(c == '\r' || c == '\n' || c > 0xff ? ' ' : c); // a value never splits the head
        }
        h.append("\r\n");
    }

    static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 303 -> "See Other";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 409 -> "Conflict";
            case 413 -> "Content Too Large";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    // ------------------------------------------------------------------ small helpers

    private static String first(Map<String, List<String>> headers, String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    private static boolean hasToken(String value, String token) {
        for (String part : value.split(",")) {
            if (part.strip().equalsIgnoreCase(token)) {
                return true;
            }
        }
        return false;
    }

    /** RFC 9110 token: visible ASCII except separators. */
    static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c <= ' ' || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
