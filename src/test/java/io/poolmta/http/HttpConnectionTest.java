package io.poolmta.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.poolmta.api.ApiRefusals;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HTTP/1.1 over raw sockets: keep-alive and pipelining, the two body framings, 100-continue, the
 * limits, and the deadlines, with the refusals worded as the SES API words them. The endpoint
 * echoes what it received, so each test sees what the server made of the bytes on the wire.
 */
class HttpConnectionTest {
    private static final long LIMIT = 1000;

    /** Echoes method, path, query, the x-echo header and the body, as text in a JSON string. */
    private static final Endpoint ECHO = new Endpoint() {
        @Override
        public String pathPrefix() {
            return "/echo";
        }

        @Override
        public long maxBodyBytes(String rawPath) {
            return LIMIT;
        }

        @Override
        public HttpResponse handle(HttpRequest request) {
            if (request.rawPath().equals("/echo/slow")) { // longer than the request deadline
                try {
                    Thread.sleep(1500);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String text = request.method() + " " + request.rawPath() + " " + request.rawQuery() + " "
                    + request.header("x-echo").orElse("-") + " " + new String(request.body(), StandardCharsets.UTF_8);
            return new HttpResponse(200, Map.of(), "text/plain", text.getBytes(StandardCharsets.UTF_8));
        }
    };

    private HttpServer server;

    @BeforeEach
    void start() throws IOException {
        server = start(256);
    }

    /**
     * A server with short deadlines (600 ms idle, 800 ms per request) and a clock on the 7th.
     * The limit is generous except where the limit is the subject: a connection the client has
     * closed may still count for a moment, until its server thread has finished with it.
     */
    private static HttpServer start(int maxConnections) throws IOException {
        HttpServer s = new HttpServer(
                new InetSocketAddress("127.0.0.1", 0),
                List.of(ECHO),
                new ApiRefusals(),
                Clock.fixed(Instant.parse("2026-11-07T10:00:00Z"), ZoneOffset.UTC),
                maxConnections,
                Duration.ofMillis(600),
                Duration.ofMillis(800));
        s.start();
        return s;
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void keepsTheConnectionForRequestAfterRequestAndAnswersPipelinedOnesInOrder() throws IOException {
        try (Socket s = connect()) {
            send(s, "GET /echo/a?x=1 HTTP/1.1\r\nHost: h\r\nX-Echo: one\r\n\r\n");
            assertThat(read(s).body).isEqualTo("GET /echo/a x=1 one ");
            send(
                    s,
                    "POST /echo/b HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"
                            + "POST /echo/c HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nbye");
            Response b = read(s);
            Response c = read(s);
            assertThat(b.body).isEqualTo("POST /echo/b null - hello");
            assertThat(c.body).isEqualTo("POST /echo/c null - bye");
            assertThat(c.headers).containsKey("x-amzn-requestid").doesNotContainKey("connection");
            assertThat(c.headers).containsEntry("date", "Sat, 07 Nov 2026 10:00:00 GMT"); // IMF-fixdate, two-digit day
        }
    }

    @Test
    void decodesAChunkedBody() throws IOException {
        try (Socket s = connect()) {
            send(
                    s,
                    "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                            + "5;ext=1\r\nhello\r\n1\r\n \r\n5\r\nworld\r\n0\r\nTrailer: x\r\n\r\n");
            assertThat(read(s).body).isEqualTo("POST /echo null - hello world");
            send(s, "GET /echo HTTP/1.1\r\nHost: h\r\n\r\n"); // the connection is still in step
            assertThat(read(s).status).isEqualTo(200);
        }
    }

    @Test
    void answersExpectContinueBeforeTheBody() throws IOException {
        try (Socket s = connect()) {
            send(s, "POST /echo HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
            assertThat(read(s).status).isEqualTo(100);
            send(s, "data");
            assertThat(read(s).body).isEqualTo("POST /echo null - data");
        }
    }

    @Test
    void aBodyOverTheLimitIsReadAndRefusedAndTheConnectionGoesOn() throws IOException {
        try (Socket s = connect()) {
            send(s, "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 2000\r\n\r\n" + "x".repeat(2000));
            Response r = read(s);
            assertThat(r.status).isEqualTo(400);
            assertThat(r.headers).containsEntry("x-amzn-errortype", "BadRequestException");
            assertThat(r.body).contains("1000-byte limit");
            send(s, "GET /echo HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(read(s).status).isEqualTo(200);
        }
        try (Socket s = connect()) { // chunked, over the limit
            send(
                    s,
                    "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n" + "400\r\n"
                            + "y".repeat(1024) + "\r\n0\r\n\r\n");
            assertThat(read(s).status).isEqualTo(400);
            send(s, "GET /echo HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(read(s).status).isEqualTo(200);
        }
    }

    @Test
    void anUnknownPathIs404UnknownOperation() throws IOException {
        try (Socket s = connect()) {
            send(s, "POST /nowhere HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc");
            Response r = read(s);
            assertThat(r.status).isEqualTo(404);
            assertThat(r.headers).containsEntry("x-amzn-errortype", "UnknownOperationException");
        }
    }

    @Test
    void malformedRequestsGet400AndTheConnectionIsClosed() throws IOException {
        for (String bad : List.of(
                "GET /echo\r\n\r\n",
                "GET /echo HTTP/2.0\r\nHost: h\r\n\r\n",
                "GET echo HTTP/1.1\r\nHost: h\r\n\r\n",
                "G(T /echo HTTP/1.1\r\nHost: h\r\n\r\n",
                "GET /echo HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n",
                "GET /echo HTTP/1.1\r\nBad Name: x\r\n\r\n",
                "GET /echo HTTP/1.1\r\nNoColon\r\n\r\n",
                "POST /echo HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                "POST /echo HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n",
                "POST /echo HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
                "POST /echo HTTP/1.1\r\nContent-Length: -1\r\n\r\n",
                "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "GET /echo HTTP/1.1\r\nX: a\u0000b\r\n\r\n",
                "GET /echo HTTP/1.1\r\nX: " + "v".repeat(HttpInput.MAX_HEAD_BYTES) + "\r\n\r\n")) {
            try (Socket s = connect()) {
                send(s, bad);
                Response r = read(s);
                assertThat(r.status).as(bad).isEqualTo(400);
                assertThat(r.headers)
                        .as(bad)
                        .containsEntry("x-amzn-errortype", "BadRequestException")
                        .containsEntry("connection", "close");
                assertThat(s.getInputStream().read()).as(bad).isEqualTo(-1);
            }
        }
    }

    @Test
    void http10AndConnectionCloseEndTheConnectionAfterTheResponse() throws IOException {
        for (String request :
                List.of("GET /echo HTTP/1.0\r\n\r\n", "GET /echo HTTP/1.1\r\nConnection: close\r\n\r\n")) {
            try (Socket s = connect()) {
                send(s, request);
                Response r = read(s);
                assertThat(r.status).isEqualTo(200);
                assertThat(r.headers).containsEntry("connection", "close");
                assertThat(s.getInputStream().read()).isEqualTo(-1);
            }
        }
    }

    @Test
    void anIdleConnectionAndASlowRequestAreClosedAtTheirDeadlines() throws IOException {
        try (Socket idle = connect();
                Socket slow = connect()) {
            send(slow, "POST /echo HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc"); // and never the rest
            long t0 = System.nanoTime();
            assertThat(endOfStream(idle)).isTrue();
            assertThat(endOfStream(slow)).isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        }
    }

    @Test
    void anEndpointMayTakeLongerThanTheRequestDeadline() throws IOException {
        try (Socket s = connect()) { // the deadline (800 ms) is for the client's bytes, not the endpoint's work
            send(s, "GET /echo/slow HTTP/1.1\r\nHost: h\r\n\r\n");
            Response r = read(s);
            assertThat(r.status).isEqualTo(200);
            assertThat(r.body).startsWith("GET /echo/slow");
        }
    }

    @Test
    void connectionsOverTheLimitGet429() throws IOException {
        server.close();
        server = start(4);
        Socket[] held = new Socket[4];
        try {
            for (int i = 0; i < held.length; i++) {
                held[i] = connect();
                send(held[i], "GET /echo HTTP/1.1\r\nHost: h\r\n\r\n");
                assertThat(read(held[i]).status).isEqualTo(200); // accepted and counted
            }
            try (Socket over = connect()) {
                send(over, "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 500\r\n\r\n" + "z".repeat(500));
                Response r = read(over); // the request is not read, and yet the answer is not lost to a reset
                assertThat(r.status).isEqualTo(429);
                assertThat(r.headers).containsEntry("x-amzn-errortype", "TooManyRequestsException");
            }
        } finally {
            for (Socket s : held) {
                if (s != null) {
                    s.close();
                }
            }
        }
    }

    /**
     * Mutations of valid requests (bytes flipped, dropped, duplicated; CR, LF, NUL, space, colon and
     * high bytes inserted; cut short), each on its own connection, the client half-closing after
     * it: every answer is 200, 400 or 404 with a request id, or none at all when the request was
     * cut short; never a 5xx; and the server still serves a clean request at the end.
     */
    @Test
    void mutatedRequestsNeverGetA5xxAndTheServerKeepsServing() throws IOException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String[] valid = {
            "GET /echo/a?x=1 HTTP/1.1\r\nHost: h\r\nX-Echo: one\r\n\r\n",
            "POST /echo HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello",
            "POST /echo HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
            "POST /other HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi",
        };
        byte[] specials = {'\r', '\n', 0, ' ', ':', (byte) 0xff, '\t', '0', 'a'};
        Set<Integer> seen = new TreeSet<>();
        for (int i = 0; i < 1500; i++) {
            byte[] bytes = valid[random.nextInt(valid.length)].getBytes(StandardCharsets.ISO_8859_1);
            List<Byte> b = new ArrayList<>();
            for (byte x : bytes) {
                b.add(x);
            }
            for (int m = 1 + random.nextInt(3); m > 0 && !b.isEmpty(); m--) {
                int at = random.nextInt(b.size());
                switch (random.nextInt(5)) {
                    case 0 -> b.set(at, (byte) random.nextInt(256));
                    case 1 -> b.remove(at);
                    case 2 -> b.add(at, b.get(at));
                    case 3 -> b.add(at, specials[random.nextInt(specials.length)]);
                    default -> b.subList(at, b.size()).clear();
                }
            }
            byte[] request = new byte[b.size()];
            for (int k = 0; k < request.length; k++) {
                request[k] = b.get(k);
            }
            try (Socket s = connect()) {
                s.getOutputStream().write(request);
                s.shutdownOutput();
                InputStream in = s.getInputStream();
                byte[] answer;
                try {
                    answer = in.readAllBytes();
                } catch (SocketException e) {
                    answer = new byte[0]; // reset after the client's half-close: no answer
                }
                String text = new String(answer, StandardCharsets.ISO_8859_1);
                String what = "seed " + seed + ", request " + new String(request, StandardCharsets.ISO_8859_1);
                for (int at = 0; at < text.length(); ) { // every response in the answer (pipelined leftovers)
                    assertThat(text.startsWith("HTTP/1.1 ", at))
                            .as(what + " -> " + text)
                            .isTrue();
                    int status = Integer.parseInt(text.substring(at + 9, at + 12));
                    seen.add(status);
                    assertThat(status).as(what + " -> " + text).isIn(200, 400, 404);
                    int headEnd = text.indexOf("\r\n\r\n", at);
                    String head = text.substring(at, headEnd).toLowerCase(Locale.ROOT);
                    assertThat(head).as(what).contains("x-amzn-requestid: ");
                    int lengthAt = head.indexOf("content-length: ") + 16;
                    int length = Integer.parseInt(head.substring(lengthAt, head.indexOf("\r\n", lengthAt)));
                    at = headEnd + 4 + length;
                }
            }
        }
        assertThat(seen).as("seed " + seed).contains(200, 400);
        try (Socket s = connect()) {
            send(s, "GET /echo HTTP/1.1\r\nHost: h\r\n\r\n");
            assertThat(read(s).status).isEqualTo(200);
        }
    }

    // ---------------------------------------------------------------- client side

    private record Response(int status, Map<String, String> headers, String body) {}

    private Socket connect() throws IOException {
        Socket s = new Socket("127.0.0.1", server.address().getPort());
        s.setSoTimeout(10_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    /** One response: status line, headers (names lower case), Content-Length body. */
    private static Response read(Socket s) throws IOException {
        InputStream in = s.getInputStream();
        String status = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String h; !(h = line(in)).isEmpty(); ) {
            int colon = h.indexOf(':');
            headers.put(
                    h.substring(0, colon).toLowerCase(Locale.ROOT),
                    h.substring(colon + 1).strip());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Response(Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("closed after " + b);
            }
            if (c != '\r') {
                b.write(c);
            }
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }

    private static boolean endOfStream(Socket s) throws IOException {
        try {
            return s.getInputStream().read() == -1;
        } catch (SocketException e) {
            return true; // reset: closed as well
        }
    }
}
