import io.poolmta.api.SigV4Signer;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;

/**
 * The Java half of bench/latency.sh: open-loop latency of SendEmail and of SMTP submission
 * (PoolMTA and the Postfix peer), and the latency of SES v2 control-plane calls. Compiled by the
 * script together with PoolMtaBench.java (whose setup, body() and sinkCount() it reuses) against
 * target/poolmta.jar:
 *
 * <pre>
 *   java -cp target/poolmta.jar:DIR LatencyBench api  --url URL --key ID --secret S --set SET COMMON...
 *   java -cp target/poolmta.jar:DIR LatencyBench smtp --server HOST:PORT [--user U --pass P] [--set SET]
 *        --sender ADDR[,ADDR...] COMMON...
 *     COMMON: --label L --rate MSG_PER_S --warmup S --duration S --connections C --results FILE
 *             [--sink-counter FILE] [--gc-log FILE] [--stop-file FILE --ready-file FILE]
 *             [--cpu-cgroup DIR | --cpu-tree PID]
 *             (--duration 0 --stop-file F: record until F exists; the ready file appears when
 *             recording starts; bench/latency.sh uses this to run SendEmail load during "control")
 *   java -cp ... LatencyBench control --url URL --key ID --secret S --rounds N --warmup-rounds W
 *        --pool POOL --ip IP --move-ip IP --move-pools X,Y --label L --results FILE
 *   java -cp ... LatencyBench report --results FILE
 * </pre>
 *
 * <p><b>Timing contract (api, smtp).</b> The generator is open-loop: request i is due at
 * {@code t0 + i / rate}, whatever happened to the requests before it. A scheduler thread prepares
 * request i (SigV4 signing, message text) before its due time, waits until the due time, and hands
 * it to a new virtual thread, which takes a connection from a fixed pool of C already-open
 * connections (SMTP: greeted, EHLO'd and AUTH'd before the clock starts; API: HTTP/1.1
 * keep-alive), sends it and reads the answer. <b>Latency = answer fully read - due time.</b>
 * So time spent waiting for a free connection, for the scheduler (if it ran late) or behind a
 * stalled server counts: there is no coordinated omission. For SMTP the answer is the reply to
 * the final "." (250 = durably queued); a transaction is MAIL FROM, RCPT TO, DATA, message, one
 * command at a time (no pipelining), the same for PoolMTA and Postfix. "Service time" (also
 * reported) is measured from writing the request (SMTP: MAIL FROM) to the answer, i.e. without
 * the wait for a connection. Requests due during the first --warmup seconds are sent but not
 * recorded; then requests due during --duration seconds are recorded; afterwards the generator
 * waits up to 30 s for the answers still outstanding (none left = every recorded request
 * answered; any left are counted as errors). An error is any answer other than HTTP 200 / SMTP 250
 * or a broken connection; errors are counted and left out of the percentiles. Percentiles are
 * nearest-rank over the sorted latencies of all recorded successful requests (no histogram
 * buckets). With --sink-counter the generator then waits until smtp-sink has received every
 * accepted message (or its count stands still for 3 s) and reports how many arrived. With
 * --gc-log (PoolMTA's -Xlog:gc file, decorated with wall-clock time) it counts the GC pauses that
 * ended inside the recorded window, and which share of the time the requests at or above p99 took
 * fell inside a pause (near 0 %: GC does not explain the tail). It also reports how busy the whole
 * machine's CPUs were during the recorded window (/proc/stat) and the 1-minute load average, since
 * other processes on a shared machine show up in the tail too.
 *
 * <p><b>CPU per message (api, smtp).</b> With --cpu-cgroup (the MTA's own cgroup: v2 cpu.stat
 * usage_usec or v1 cpuacct.usage, every process of the MTA and nothing else) or --cpu-tree (the
 * MTA's process and its children, from /proc), the generator reads the MTA's CPU when the first
 * recorded request is due and when the last one is: CPU per message = that CPU over the messages
 * accepted between the same two moments. At an offered rate the MTA keeps up with, it delivers
 * what it accepts within the window, so the figure covers intake and delivery; the messages
 * smtp-sink received in the window are reported beside it, and a row where they differ from the
 * accepted ones by more than 5 % (an MTA falling behind, or catching up) is marked as not steady.
 *
 * <p><b>Timing contract (control).</b> One client, one keep-alive connection, sequential calls,
 * started --rate R calls per second (each one 1/R s after the one before, or at once when that
 * one answered later; 0: back to back) so that the client measures the server rather than keeping
 * the machine busy itself. Each call's request is built and signed first; latency = from writing
 * it to having read the whole answer. W rounds are made first, back to back, without recording. A round is: CreateDedicatedIpPool,
 * DeleteDedicatedIpPool (of that new pool), PutDedicatedIpInPool (moving --move-ip to the other
 * of the two --move-pools), GetDedicatedIps (PoolName=--pool), GetDedicatedIp (--ip),
 * CreateConfigurationSet, PutConfigurationSetDeliveryOptions, DeleteConfigurationSet (of that
 * new set), ListConfigurationSets, GetAccount. (For control-plane calls under load the script runs
 * an "api" generator in another process at the same time.)
 */
public final class LatencyBench {
    static final String RCPT = PoolMtaBench.RCPT;
    static final long DRAIN_NANOS = 30_000_000_000L;

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: api|smtp|control|report ... (see the class comment)");
        }
        PoolMtaBench.Opts o = new PoolMtaBench.Opts(List.of(args).subList(1, args.length));
        switch (args[0]) {
            case "api" -> latency(o, api(o, o.get("set")));
            case "smtp" -> latency(o, smtp(o));
            case "control" -> control(o);
            case "report" -> report(o);
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
        System.exit(0); // virtual threads still blocked on a closed server must not keep the JVM alive
    }

    // ---------------------------------------------------------------- targets and connections

    /** Where requests go: opens connections and prepares request i. */
    interface Target {
        Conn connect() throws IOException;

        Object prepare(long i);
    }

    /** One open connection; {@link #send} returns null when the answer is a success, else what it was. */
    interface Conn extends AutoCloseable {
        String send(Object request) throws IOException;

        /** False once the server closed the connection (it must be replaced). */
        boolean usable();

        @Override
        void close();
    }

    static Target api(PoolMtaBench.Opts o, String set) {
        URI uri = URI.create(o.get("url") + "/v2/email/outbound-emails");
        SigV4Signer signer = new SigV4Signer(o.get("key"), o.get("secret"), "us-east-1", Clock.systemUTC());
        String text = jsonString(PoolMtaBench.body());
        return new Target() {
            @Override
            public Conn connect() throws IOException {
                return new HttpConn(uri.getHost(), uri.getPort());
            }

            @Override
            public Object prepare(long i) {
                byte[] body = ("{\"FromEmailAddress\":\"" + PoolMtaBench.SENDER
                                + "\",\"Destination\":{\"ToAddresses\":[\""
                                + RCPT + "\"]},\"Content\":{\"Simple\":{\"Subject\":{\"Data\":\"latency " + i + "\"},"
                                + "\"Body\":{\"Text\":{\"Data\":" + text + "}}}},\"ConfigurationSetName\":\"" + set
                                + "\"}")
                        .getBytes(StandardCharsets.UTF_8);
                return HttpConn.request(signer, "POST", uri, body);
            }
        };
    }

    static Target smtp(PoolMtaBench.Opts o) {
        String server = o.get("server");
        String host = server.substring(0, server.lastIndexOf(':'));
        int port = Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
        String user = o.get("user", "");
        String pass = o.get("pass", "");
        String set = o.get("set", "");
        List<String> senders = List.of(o.get("sender").split(","));
        String body = PoolMtaBench.body();
        return new Target() {
            @Override
            public Conn connect() throws IOException {
                return new SmtpConn(host, port, user, pass);
            }

            @Override
            public Object prepare(long i) {
                String sender = senders.get((int) (i % senders.size()));
                String message = "From: <" + sender + ">\r\nTo: <" + RCPT + ">\r\nSubject: latency " + i + "\r\n"
                        + (set.isEmpty() ? "" : "X-SES-CONFIGURATION-SET: " + set + "\r\n") + "\r\n" + body
                        + "\r\n.\r\n";
                return new String[] {sender, message};
            }
        };
    }

    /** A JSON string literal, quotes included (the body is ASCII letters, digits and CRLF). */
    static String jsonString(String s) {
        return "\""
                + s.replace("\\", "\\\\")
                        .replace("\"", "\\\"")
                        .replace("\r", "\\r")
                        .replace("\n", "\\n") + "\"";
    }

    /** HTTP/1.1 keep-alive over a plain socket (java.net.http costs as much CPU per request as the server). */
    static final class HttpConn implements Conn {
        final Socket socket = new Socket();
        final InputStream in;
        final OutputStream out;
        boolean open = true;

        HttpConn(String host, int port) throws IOException {
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(60_000);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        /** The request bytes: head with SigV4 headers, then the body. */
        static byte[] request(SigV4Signer signer, String method, URI uri, byte[] body) {
            Map<String, String> headers = signer.sign(method, uri, Map.of("content-type", "application/json"), body);
            StringBuilder head = new StringBuilder(method)
                    .append(' ')
                    .append(uri.getRawPath())
                    .append(uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery())
                    .append(" HTTP/1.1\r\n")
                    .append("host: ")
                    .append(uri.getHost())
                    .append(':')
                    .append(uri.getPort())
                    .append("\r\n")
                    .append("content-length: ")
                    .append(body.length)
                    .append("\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("\r\n");
            byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
            byte[] all = Arrays.copyOf(h, h.length + body.length);
            System.arraycopy(body, 0, all, h.length, body.length);
            return all;
        }

        @Override
        public String send(Object request) throws IOException {
            String[] answer = PoolMtaBench.ApiLoad.exchange(in, out, (byte[]) request);
            if (answer[2] != null) {
                open = false;
            }
            return answer[0].equals("200") ? null : "HTTP " + answer[0] + " " + answer[1].replaceAll("\\s+", " ");
        }

        @Override
        public boolean usable() {
            return open;
        }

        @Override
        public void close() {
            open = false;
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    /** One SMTP session: greeted, EHLO'd and (with a user) STARTTLS'd and AUTH PLAIN'd when constructed. */
    static final class SmtpConn implements Conn {
        Socket socket = new Socket();
        InputStream in;
        OutputStream out;
        boolean open = true;

        SmtpConn(String host, int port, String user, String pass) throws IOException {
            socket.connect(new InetSocketAddress(host, port), 10_000);
            socket.setSoTimeout(60_000);
            socket.setTcpNoDelay(true);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            expect(reply(), "220", "greeting");
            expect(command("EHLO latency-client.localhost"), "250", "EHLO");
            if (!user.isEmpty()) {
                expect(command("STARTTLS"), "220", "STARTTLS");
                SSLSocket tls = (SSLSocket)
                        PoolMtaBench.SmtpLoad.trustingTls().getSocketFactory().createSocket(socket, host, port, true);
                tls.startHandshake();
                socket = tls;
                in = new BufferedInputStream(tls.getInputStream());
                out = tls.getOutputStream();
                expect(command("EHLO latency-client.localhost"), "250", "EHLO after STARTTLS");
                String token = Base64.getEncoder()
                        .encodeToString(("\0" + user + "\0" + pass).getBytes(StandardCharsets.UTF_8));
                expect(command("AUTH PLAIN " + token), "235", "AUTH");
            }
        }

        @Override
        public String send(Object request) throws IOException {
            String[] r = (String[]) request; // {sender, message text ending in CRLF.CRLF}
            String reply = command("MAIL FROM:<" + r[0] + ">");
            if (reply.startsWith("250")) {
                reply = command("RCPT TO:<" + RCPT + ">");
                if (reply.startsWith("250")) {
                    reply = command("DATA");
                    if (reply.startsWith("354")) {
                        out.write(r[1].getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        reply = reply();
                        return reply.startsWith("250") ? null : "after '.': " + reply;
                    }
                }
            }
            command("RSET");
            return reply;
        }

        private String command(String line) throws IOException {
            out.write((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return reply();
        }

        /** A whole reply (all lines of a multi-line one); returns its last line. */
        private String reply() throws IOException {
            while (true) {
                String line = line(in);
                if (line.length() < 4 || line.charAt(3) != '-') {
                    return line;
                }
            }
        }

        private static void expect(String reply, String code, String what) throws IOException {
            if (!reply.startsWith(code)) {
                throw new IOException(what + " answered " + reply);
            }
        }

        @Override
        public boolean usable() {
            return open && !socket.isClosed();
        }

        @Override
        public void close() {
            open = false;
            try {
                if (!socket.isClosed()) {
                    out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                }
            } catch (IOException ignored) {
                // closing anyway
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }

    static String line(InputStream in) throws IOException {
        return PoolMtaBench.ApiLoad.line(in);
    }

    // ---------------------------------------------------------------- recording

    /** Latencies (ns) of recorded successful requests, with their due and end times, and errors. */
    static final class Recorder {
        private long[] latency = new long[1024];
        private long[] service = new long[1024];
        private long[] due = new long[1024];
        private int n;
        int errors;
        String firstError;

        synchronized void ok(long dueAt, long startedAt, long endedAt) {
            if (n == latency.length) {
                latency = Arrays.copyOf(latency, n * 2);
                service = Arrays.copyOf(service, n * 2);
                due = Arrays.copyOf(due, n * 2);
            }
            latency[n] = endedAt - dueAt;
            service[n] = endedAt - startedAt;
            due[n] = dueAt;
            n++;
        }

        synchronized void error(String what) {
            errors++;
            if (firstError == null) {
                firstError = what;
            }
        }

        synchronized int count() {
            return n;
        }

        synchronized long[] latencies() {
            return Arrays.copyOf(latency, n);
        }

        synchronized long[] services() {
            return Arrays.copyOf(service, n);
        }

        synchronized long[] dues() {
            return Arrays.copyOf(due, n);
        }
    }

    /** Nearest-rank percentile of sorted values, in ms. */
    static double pct(long[] sorted, double p) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))] / 1e6;
    }

    static long[] sorted(long[] values) {
        long[] s = values.clone();
        Arrays.sort(s);
        return s;
    }

    // ---------------------------------------------------------------- the open-loop generator

    /** What one open-loop run recorded. */
    record Run(
            Recorder recorded,
            long[] lag,
            long windowStart,
            long windowEnd,
            int accepted,
            int lostConnections,
            double machineBusyPercent,
            double mtaCpuSeconds,
            int acceptedInWindow,
            long deliveredInWindow) {}

    /**
     * Sends request i at t0 + i/rate for warmup + duration seconds (or, with duration 0, until
     * {@code stop} is set), on C connections opened before t0; calls {@code onRecording} when the
     * first recorded request is due. {@code mtaCpu} gives the MTA's CPU seconds so far (NaN when
     * unknown) and {@code sink} the messages smtp-sink has received (-1 when unknown), both read
     * when the recorded window opens and closes. See the class comment.
     */
    static Run openLoop(
            Target target,
            double rate,
            double warmupSeconds,
            double durationSeconds,
            int connections,
            AtomicBoolean stop,
            Runnable onRecording,
            DoubleSupplier mtaCpu,
            LongSupplier sink)
            throws Exception {
        BlockingQueue<Conn> pool = new ArrayBlockingQueue<>(connections);
        List<Conn> all = new CopyOnWriteArrayList<>();
        for (int c = 0; c < connections; c++) {
            Conn conn = target.connect();
            all.add(conn);
            pool.add(conn);
        }
        Recorder rec = new Recorder();
        AtomicInteger pending = new AtomicInteger(); // recorded requests not answered yet
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger accepted = new AtomicInteger(); // all successful ones, warm-up included
        AtomicInteger lost = new AtomicInteger();
        long[] lag = new long[1024];
        int lags = 0;
        long[] cpuAtFrom = null; // the whole machine's CPU counters when the recorded window began
        double mtaAtFrom = Double.NaN;
        int acceptedAtFrom = 0;
        long sinkAtFrom = -1;
        double periodNanos = 1e9 / rate;
        long t0 = System.nanoTime() + 20_000_000;
        long from = t0 + (long) (warmupSeconds * 1e9);
        long to = durationSeconds > 0 ? from + (long) (durationSeconds * 1e9) : Long.MAX_VALUE;
        long end = to;
        for (long i = 0; ; i++) {
            long due = t0 + (long) (i * periodNanos);
            if (due >= to || (stop.get() && due >= from)) {
                end = Math.min(to, Math.max(from, System.nanoTime()));
                if (cpuAtFrom == null) {
                    cpuAtFrom = PoolMtaBench.systemCpu();
                    mtaAtFrom = mtaCpu.getAsDouble();
                    acceptedAtFrom = accepted.get();
                    sinkAtFrom = sink.getAsLong();
                }
                break;
            }
            Object request = target.prepare(i);
            long now;
            while ((now = System.nanoTime()) < due) {
                LockSupport.parkNanos(due - now);
            }
            boolean recorded = due >= from;
            if (recorded && cpuAtFrom == null) {
                cpuAtFrom = PoolMtaBench.systemCpu();
                mtaAtFrom = mtaCpu.getAsDouble();
                acceptedAtFrom = accepted.get();
                sinkAtFrom = sink.getAsLong();
                onRecording.run();
            }
            if (recorded) {
                if (lags == lag.length) {
                    lag = Arrays.copyOf(lag, lags * 2);
                }
                lag[lags++] = now - due;
                pending.incrementAndGet();
            }
            inFlight.incrementAndGet();
            Thread.ofVirtual().start(() -> {
                Conn conn = null;
                try {
                    conn = pool.take();
                    long started = System.nanoTime();
                    String error = conn.send(request);
                    long ended = System.nanoTime();
                    if (error == null) {
                        accepted.incrementAndGet();
                    }
                    if (recorded) {
                        if (error == null) {
                            rec.ok(due, started, ended);
                        } else {
                            rec.error(error);
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    if (conn != null) {
                        conn.close();
                    }
                    if (recorded) {
                        rec.error(e.toString());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    if (recorded) {
                        pending.decrementAndGet();
                    }
                    if (conn != null) {
                        if (!conn.usable()) { // replace a connection the server closed or that broke
                            conn.close();
                            try {
                                conn = target.connect();
                                all.add(conn);
                            } catch (IOException e) {
                                conn = null;
                                lost.incrementAndGet();
                            }
                        }
                        if (conn != null) {
                            pool.add(conn);
                        }
                    }
                    inFlight.decrementAndGet();
                }
            });
        }
        long[] cpuAtEnd = PoolMtaBench.systemCpu();
        double mtaCpuSeconds = mtaCpu.getAsDouble() - mtaAtFrom;
        int acceptedInWindow = accepted.get() - acceptedAtFrom;
        long sinkAtEnd = sink.getAsLong();
        long deliveredInWindow = sinkAtFrom < 0 || sinkAtEnd < 0 ? -1 : sinkAtEnd - sinkAtFrom;
        double busy = cpuAtEnd[1] == cpuAtFrom[1]
                ? Double.NaN
                : 100.0 * (cpuAtEnd[0] - cpuAtFrom[0]) / (cpuAtEnd[1] - cpuAtFrom[1]);
        long drainUntil = System.nanoTime() + DRAIN_NANOS;
        while (inFlight.get() > 0 && System.nanoTime() < drainUntil) {
            Thread.sleep(2);
        }
        int unanswered = pending.get();
        for (int k = 0; k < unanswered; k++) {
            rec.error("no answer within " + DRAIN_NANOS / 1_000_000_000 + " s after the run");
        }
        all.forEach(Conn::close);
        return new Run(
                rec,
                Arrays.copyOf(lag, lags),
                from,
                end,
                accepted.get(),
                lost.get(),
                busy,
                mtaCpuSeconds,
                acceptedInWindow,
                deliveredInWindow);
    }

    // ---------------------------------------------------------------- api / smtp commands

    static void latency(PoolMtaBench.Opts o, Target target) throws Exception {
        double rate = Double.parseDouble(o.get("rate"));
        double warmup = Double.parseDouble(o.get("warmup", "5"));
        double duration = Double.parseDouble(o.get("duration", "20"));
        int connections = Integer.parseInt(o.get("connections", "32"));
        Path counter = o.named.containsKey("sink-counter") ? Path.of(o.get("sink-counter")) : null;
        long sinkBefore = counter == null ? 0 : PoolMtaBench.sinkCount(counter);
        Clocks clocks = new Clocks();
        // with --duration 0: record until --stop-file exists; --ready-file is created when recording starts
        AtomicBoolean stop = new AtomicBoolean();
        if (o.named.containsKey("stop-file")) {
            Path stopFile = Path.of(o.get("stop-file"));
            Thread.ofPlatform().daemon().name("stop-file").start(() -> {
                while (!Files.exists(stopFile)) {
                    LockSupport.parkNanos(20_000_000);
                }
                stop.set(true);
            });
        } else if (duration <= 0) {
            throw new IllegalArgumentException("--duration 0 needs --stop-file");
        }
        Runnable onRecording = () -> {
            if (o.named.containsKey("ready-file")) {
                try {
                    Files.writeString(Path.of(o.get("ready-file")), "recording\n");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        Path cgroup = o.named.containsKey("cpu-cgroup") ? Path.of(o.get("cpu-cgroup")) : null;
        long cpuPid = Long.parseLong(o.get("cpu-tree", "0"));
        DoubleSupplier mtaCpu = cgroup != null
                ? () -> PoolMtaBench.cgroupCpuSeconds(cgroup)
                : cpuPid > 0 ? () -> PoolMtaBench.treeCpuSeconds(cpuPid) : () -> Double.NaN;
        LongSupplier sink = () -> {
            try {
                return counter == null ? -1 : PoolMtaBench.sinkCount(counter);
            } catch (IOException e) {
                return -1;
            }
        };
        Run run = openLoop(target, rate, warmup, duration, connections, stop, onRecording, mtaCpu, sink);
        long delivered = counter == null ? -1 : awaitSink(counter, sinkBefore, run.accepted());
        record(o, o.get("label"), rate, run, delivered, clocks);
    }

    /** Pairs System.nanoTime with wall-clock time, to place GC log lines on the generator's clock. */
    static final class Clocks {
        final long nano = System.nanoTime();
        final long wallMillis = System.currentTimeMillis();

        long toNano(long epochMillis) {
            return nano + (epochMillis - wallMillis) * 1_000_000;
        }
    }

    /** Waits until the sink has {@code expected} more messages, or its count stood still for 3 s (at most 120 s). */
    static long awaitSink(Path counter, long before, long expected) throws Exception {
        long last = -1;
        long stillSince = System.nanoTime();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            long got = PoolMtaBench.sinkCount(counter) - before;
            if (got >= expected) {
                return got;
            }
            if (got != last) {
                last = got;
                stillSince = System.nanoTime();
            } else if (System.nanoTime() - stillSince > 3_000_000_000L) {
                return got;
            }
            Thread.sleep(20);
        }
        return PoolMtaBench.sinkCount(counter) - before;
    }

    /** Prints one line and appends a TSV row: kind, label, rate, and the figures (ms). */
    static void record(PoolMtaBench.Opts o, String label, double rate, Run run, long delivered, Clocks clocks)
            throws IOException {
        Recorder r = run.recorded();
        long[] lat = sorted(r.latencies());
        long[] svc = sorted(r.services());
        long[] lag = sorted(run.lag());
        double seconds = (run.windowEnd() - run.windowStart()) / 1e9;
        double achieved = (r.count() + r.errors) / seconds;
        // GC pauses that ended inside the recorded window, and how many slow requests overlapped one
        List<long[]> pauses = o.named.containsKey("gc-log") ? gcPauses(Path.of(o.get("gc-log")), clocks) : List.of();
        long windowEndWithDrain = run.windowEnd() + (lat.length == 0 ? 0 : lat[lat.length - 1]);
        int gcCount = 0;
        double gcTotal = 0;
        double gcMax = 0;
        for (long[] p : pauses) {
            if (p[1] >= run.windowStart() && p[1] <= windowEndWithDrain) {
                gcCount++;
                gcTotal += (p[1] - p[0]) / 1e6;
                gcMax = Math.max(gcMax, (p[1] - p[0]) / 1e6);
            }
        }
        long[] dues = r.dues();
        long[] lats = r.latencies();
        long p99 = lat.length == 0 ? 0 : (long) (pct(lat, 99) * 1e6);
        // of the time the requests at or above p99 took, the share during which PoolMTA was in a GC pause
        double slowTotal = 0;
        double slowInGc = 0;
        for (int k = 0; k < lats.length; k++) {
            if (lats[k] >= p99) {
                long a = dues[k];
                long b = dues[k] + lats[k];
                slowTotal += b - a;
                for (long[] p : pauses) {
                    slowInGc += Math.max(0, Math.min(b, p[1]) - Math.max(a, p[0]));
                }
            }
        }
        double gcShare = slowTotal == 0 ? 0 : 100.0 * slowInGc / slowTotal;
        String firstError = r.firstError == null ? "" : r.firstError.replaceAll("[\\t\\r\\n]+", " ");
        if (firstError.length() > 160) {
            firstError = firstError.substring(0, 160) + "...";
        }
        // the MTA's CPU over the recorded window, per message accepted in it (class comment)
        double cpuPerMessage =
                run.acceptedInWindow() == 0 ? Double.NaN : run.mtaCpuSeconds() * 1000 / run.acceptedInWindow();
        boolean steady = run.deliveredInWindow() < 0
                || Math.abs(run.deliveredInWindow() - run.acceptedInWindow()) <= 0.05 * run.acceptedInWindow();
        String cpu = Double.isNaN(cpuPerMessage) ? "-" : String.format(Locale.ROOT, "%.3f", cpuPerMessage);
        String gc = pauses.isEmpty() && !o.named.containsKey("gc-log")
                ? "-"
                : gcCount + "\t" + fmt(gcTotal) + "\t" + fmt(gcMax) + "\t" + fmt(gcShare) + " %";
        String row = String.join(
                "\t",
                "latency",
                label,
                fmt(rate),
                fmt(achieved),
                Integer.toString(r.count()),
                Integer.toString(r.errors),
                fmt(pct(lat, 50)),
                fmt(pct(lat, 90)),
                fmt(pct(lat, 99)),
                fmt(pct(lat, 99.9)),
                fmt(pct(lat, 100)),
                fmt(pct(svc, 50)),
                fmt(pct(svc, 99)),
                fmt(pct(lag, 99)),
                fmt(pct(lag, 100)),
                Integer.toString(run.accepted()),
                Long.toString(delivered),
                gc.equals("-") ? "-\t-\t-\t-" : gc,
                firstError.isEmpty() ? "-" : firstError,
                fmt(run.machineBusyPercent()),
                loadAverage(),
                cpu,
                Integer.toString(run.acceptedInWindow()),
                Long.toString(run.deliveredInWindow()),
                steady ? "steady" : "not steady");
        System.out.printf(
                Locale.ROOT,
                "%-22s %6.0f msg/s offered, %6.1f achieved: %d ok, %d errors;"
                        + " latency ms p50 %s p90 %s p99 %s p99.9 %s max %s (service p50 %s p99 %s;"
                        + " scheduler lag p99 %s max %s); delivered %s of %d accepted; machine CPU busy %s %%,"
                        + " load average %s; MTA CPU %s ms/msg (%d accepted, %s delivered in the window%s)%s%s%s%n",
                label,
                rate,
                achieved,
                r.count(),
                r.errors,
                fmt(pct(lat, 50)),
                fmt(pct(lat, 90)),
                fmt(pct(lat, 99)),
                fmt(pct(lat, 99.9)),
                fmt(pct(lat, 100)),
                fmt(pct(svc, 50)),
                fmt(pct(svc, 99)),
                fmt(pct(lag, 99)),
                fmt(pct(lag, 100)),
                delivered < 0 ? "-" : Long.toString(delivered),
                run.accepted(),
                fmt(run.machineBusyPercent()),
                loadAverage(),
                cpu,
                run.acceptedInWindow(),
                run.deliveredInWindow() < 0 ? "-" : Long.toString(run.deliveredInWindow()),
                steady ? "" : ", not steady",
                gc.equals("-")
                        ? ""
                        : "; GC pauses " + gcCount + " (total " + fmt(gcTotal) + " ms, max " + fmt(gcMax)
                                + " ms), share of the >= p99 requests' time in a GC pause " + fmt(gcShare) + " %",
                run.lostConnections() > 0 ? "; LOST " + run.lostConnections() + " connections" : "",
                firstError.isEmpty() ? "" : "; first error: " + firstError);
        Files.writeString(Path.of(o.get("results")), row + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** The 1-minute load average, from /proc/loadavg. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "-";
        }
    }

    private static final Pattern GC_LINE = Pattern.compile("^\\[([^\\]]+)\\].*\\bPause\\b.* (\\d+(?:\\.\\d+)?)ms\\s*$");
    private static final DateTimeFormatter GC_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ");

    /** GC pauses from a -Xlog:gc file decorated with time: {start, end} on this JVM's nanoTime clock. */
    static List<long[]> gcPauses(Path log, Clocks clocks) throws IOException {
        List<long[]> pauses = new ArrayList<>();
        if (!Files.exists(log)) {
            return pauses;
        }
        for (String line : Files.readAllLines(log)) {
            Matcher m = GC_LINE.matcher(line);
            if (m.matches()) {
                try {
                    long endedAt = clocks.toNano(OffsetDateTime.parse(m.group(1), GC_TIME)
                            .toInstant()
                            .toEpochMilli());
                    long length = (long) (Double.parseDouble(m.group(2)) * 1e6);
                    pauses.add(new long[] {endedAt - length, endedAt});
                } catch (RuntimeException ignored) {
                    // not a line we understand
                }
            }
        }
        return pauses;
    }

    // ---------------------------------------------------------------- control plane

    static void control(PoolMtaBench.Opts o) throws Exception {
        URI base = URI.create(o.get("url"));
        SigV4Signer signer = new SigV4Signer(o.get("key"), o.get("secret"), "us-east-1", Clock.systemUTC());
        int rounds = Integer.parseInt(o.get("rounds"));
        int warmupRounds = Integer.parseInt(o.get("warmup-rounds", "50"));
        Pacer pacer = new Pacer(Double.parseDouble(o.get("rate", "0")));
        String pool = o.get("pool");
        String ip = o.get("ip");
        String moveIp = o.get("move-ip");
        String[] movePools = o.get("move-pools").split(",");
        String label = o.get("label");
        String tag = Long.toString(System.currentTimeMillis() % 1_000_000, 36);

        Map<String, Recorder> byOp = new LinkedHashMap<>();
        for (String op : List.of(
                "CreateDedicatedIpPool",
                "DeleteDedicatedIpPool",
                "PutDedicatedIpInPool",
                "GetDedicatedIps",
                "GetDedicatedIp",
                "CreateConfigurationSet",
                "PutConfigurationSetDeliveryOptions",
                "DeleteConfigurationSet",
                "ListConfigurationSets",
                "GetAccount")) {
            byOp.put(op, new Recorder());
        }
        try (HttpConn conn = new HttpConn(base.getHost(), base.getPort())) {
            for (int w = 0; w < warmupRounds; w++) {
                round(conn, signer, base, "w" + tag + "-" + w, pool, ip, moveIp, movePools[w % 2], null, Pacer.NONE);
            }
            for (int k = 0; k < rounds; k++) {
                round(
                        conn,
                        signer,
                        base,
                        "r" + tag + "-" + k,
                        pool,
                        ip,
                        moveIp,
                        movePools[(warmupRounds + k) % 2],
                        byOp,
                        pacer);
            }
        }
        StringBuilder rows = new StringBuilder();
        for (var e : byOp.entrySet()) {
            Recorder r = e.getValue();
            long[] lat = sorted(r.latencies());
            String firstError = r.firstError == null ? "-" : r.firstError.replaceAll("[\\t\\r\\n]+", " ");
            rows.append(String.join(
                            "\t",
                            "control",
                            label,
                            e.getKey(),
                            Integer.toString(r.count()),
                            Integer.toString(r.errors),
                            fmt(pct(lat, 50)),
                            fmt(pct(lat, 90)),
                            fmt(pct(lat, 99)),
                            fmt(pct(lat, 100)),
                            firstError.length() > 160 ? firstError.substring(0, 160) + "..." : firstError))
                    .append('\n');
            System.out.printf(
                    Locale.ROOT,
                    "%-12s %-36s %5d calls, %d errors; ms p50 %s p90 %s p99 %s max %s%s%n",
                    label,
                    e.getKey(),
                    r.count(),
                    r.errors,
                    fmt(pct(lat, 50)),
                    fmt(pct(lat, 90)),
                    fmt(pct(lat, 99)),
                    fmt(pct(lat, 100)),
                    r.firstError == null ? "" : "; first error: " + firstError);
        }
        Files.writeString(Path.of(o.get("results")), rows, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /** One round of the ten operations; records into byOp unless it is null (warm-up). */
    static void round(
            HttpConn conn,
            SigV4Signer signer,
            URI base,
            String name,
            String pool,
            String ip,
            String moveIp,
            String moveTo,
            Map<String, Recorder> byOp,
            Pacer pacer)
            throws IOException {
        String newPool = "lat-pool-" + name;
        String newSet = "lat-set-" + name;
        call(
                conn,
                signer,
                base,
                byOp,
                pacer,
                "CreateDedicatedIpPool",
                "POST",
                "/v2/email/dedicated-ip-pools",
                "{\"PoolName\":\"" + newPool + "\"}");
        call(
                conn,
                signer,
                base,
                byOp,
                pacer,
                "DeleteDedicatedIpPool",
                "DELETE",
                "/v2/email/dedicated-ip-pools/" + newPool,
                "");
        call(
                conn,
                signer,
                base,
                byOp,
                pacer,
                "PutDedicatedIpInPool",
                "PUT",
                "/v2/email/dedicated-ips/" + moveIp + "/pool",
                "{\"DestinationPoolName\":\"" + moveTo + "\"}");
        call(conn, signer, base, byOp, pacer, "GetDedicatedIps", "GET", "/v2/email/dedicated-ips?PoolName=" + pool, "");
        call(conn, signer, base, byOp, pacer, "GetDedicatedIp", "GET", "/v2/email/dedicated-ips/" + ip, "");
        call(
                conn,
                signer,
                base,
                byOp,
                pacer,
                "CreateConfigurationSet",
                "POST",
                "/v2/email/configuration-sets",
                "{\"ConfigurationSetName\":\"" + newSet + "\"}");
        call(
                conn,
                signer,
                base,
                byOp,
                pacer,
                "PutConfigurationSetDeliveryOptions",
                "PUT",
                "/v2/email/configuration-sets/" + newSet + "/delivery-options",
                "{\"SendingPoolName\":\"" + pool + "\",\"TlsPolicy\":\"OPTIONAL\"}");
        call(
                conn,
                signer,
                base,
                byOp,
                pacer,
                "DeleteConfigurationSet",
                "DELETE",
                "/v2/email/configuration-sets/" + newSet,
                "");
        call(conn, signer, base, byOp, pacer, "ListConfigurationSets", "GET", "/v2/email/configuration-sets", "");
        call(conn, signer, base, byOp, pacer, "GetAccount", "GET", "/v2/email/account", "");
    }

    static void call(
            HttpConn conn,
            SigV4Signer signer,
            URI base,
            Map<String, Recorder> byOp,
            Pacer pacer,
            String op,
            String method,
            String pathAndQuery,
            String json)
            throws IOException {
        byte[] request =
                HttpConn.request(signer, method, base.resolve(pathAndQuery), json.getBytes(StandardCharsets.UTF_8));
        pacer.await();
        long started = System.nanoTime();
        String error = conn.send(request);
        long ended = System.nanoTime();
        if (!conn.usable()) {
            throw new IOException("the server closed the control-plane connection after " + op);
        }
        if (byOp == null) {
            if (error != null) {
                throw new IOException(op + " failed in the warm-up: " + error);
            }
        } else if (error == null) {
            byOp.get(op).ok(started, started, ended);
        } else {
            byOp.get(op).error(error);
        }
    }

    /** Starts calls at most rate per second: each one 1/rate s after the one before, or at once when late. */
    static final class Pacer {
        static final Pacer NONE = new Pacer(0);
        private final long interval;
        private long due;

        Pacer(double rate) {
            this.interval = rate > 0 ? (long) (1e9 / rate) : 0;
        }

        void await() {
            if (interval == 0) {
                return;
            }
            long now = System.nanoTime();
            due = due == 0 ? now : Math.max(due + interval, now);
            for (long wait = due - now; wait > 0; wait = due - System.nanoTime()) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
        }
    }

    // ---------------------------------------------------------------- report

    /** Markdown tables from the TSV rows: latency per path and rate, the peer ratios, the control plane. */
    static void report(PoolMtaBench.Opts o) throws IOException {
        List<String[]> latency = new ArrayList<>();
        List<String[]> control = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(o.get("results")))) {
            String[] f = line.split("\t");
            if (f[0].equals("latency")) {
                latency.add(f);
            } else if (f[0].equals("control")) {
                control.add(f);
            }
        }
        StringBuilder t = new StringBuilder();
        t.append(
                "| path | offered msg/s | achieved | recorded | errors | p50 ms | p90 ms | p99 ms | p99.9 ms | max ms |"
                        + " MTA CPU ms/msg | service p50 / p99 ms | generator lag p99 / max ms | delivered / accepted |"
                        + " GC pauses: n, total ms, max ms | time of ≥ p99 requests in GC | machine CPU busy, load avg |\n");
        t.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String[] f : latency) {
            t.append("| ")
                    .append(f[1])
                    .append(" | ")
                    .append(f[2])
                    .append(" | ")
                    .append(f[3])
                    .append(" | ")
                    .append(f[4])
                    .append(" | ")
                    .append(f[5])
                    .append(" | ")
                    .append(f[6])
                    .append(" | ")
                    .append(f[7])
                    .append(" | **")
                    .append(f[8])
                    .append("** | ")
                    .append(f[9])
                    .append(" | ")
                    .append(f[10])
                    .append(" | ")
                    .append(cpuCell(f))
                    .append(" | ")
                    .append(f[11])
                    .append(" / ")
                    .append(f[12])
                    .append(" | ")
                    .append(f[13])
                    .append(" / ")
                    .append(f[14])
                    .append(" | ")
                    .append(f[16])
                    .append(" / ")
                    .append(f[15])
                    .append(" | ")
                    .append(f[17].equals("-") ? "–" : f[17] + ", " + f[18] + ", " + f[19])
                    .append(" | ")
                    .append(f[20].equals("-") ? "–" : f[20])
                    .append(" | ")
                    .append(f[22])
                    .append(" %, ")
                    .append(f[23])
                    .append(" |\n");
        }
        // ratios against Postfix at the same offered rate
        Map<String, String[]> postfix = new LinkedHashMap<>();
        for (String[] f : latency) {
            if (f[1].startsWith("Postfix")) {
                postfix.put(f[2], f);
            }
        }
        if (!postfix.isEmpty()) {
            t.append("\n| offered msg/s | path | p50 / Postfix p50 | p99 / Postfix p99 | Postfix CPU / this |\n"
                    + "|---:|---|---:|---:|---:|\n");
            for (String[] f : latency) {
                String[] p = postfix.get(f[2]);
                if (p != null && f[1].startsWith("PoolMTA") && !f[1].contains("during")) {
                    t.append("| ")
                            .append(f[2])
                            .append(" | ")
                            .append(f[1])
                            .append(" | ")
                            .append(ratio(f[6], p[6]))
                            .append(" | ")
                            .append(ratio(f[8], p[8]))
                            .append(" | ")
                            .append(cpuRatio(p, f))
                            .append(" |\n");
                }
            }
        }
        if (!control.isEmpty()) {
            List<String> labels = control.stream().map(f -> f[1]).distinct().toList();
            t.append("\n| operation (sequential, one client) |");
            labels.forEach(l -> t.append(" ").append(l).append(": calls / errors | p50 ms | p99 ms | max ms |"));
            t.append("\n|---|")
                    .append("---:|---:|---:|---:|".repeat(labels.size()))
                    .append('\n');
            for (String op : control.stream().map(f -> f[2]).distinct().toList()) {
                t.append("| ").append(op).append(" |");
                for (String l : labels) {
                    String[] f = control.stream()
                            .filter(c -> c[1].equals(l) && c[2].equals(op))
                            .findFirst()
                            .orElse(null);
                    if (f == null) {
                        t.append(" – | – | – | – |");
                    } else {
                        t.append(" ")
                                .append(f[3])
                                .append(" / ")
                                .append(f[4])
                                .append(" | ")
                                .append(f[5])
                                .append(" | **")
                                .append(f[7])
                                .append("** | ")
                                .append(f[8])
                                .append(" |");
                    }
                }
                t.append('\n');
            }
        }
        List<String> errors = new ArrayList<>();
        latency.stream()
                .filter(f -> !f[21].equals("-"))
                .forEach(f -> errors.add(f[1] + " at " + f[2] + "/s: " + f[21]));
        control.stream().filter(f -> !f[9].equals("-")).forEach(f -> errors.add(f[1] + " " + f[2] + ": " + f[9]));
        if (!errors.isEmpty()) {
            t.append("\nFirst error of each row that had errors:\n");
            errors.forEach(e -> t.append("- ").append(e).append('\n'));
        }
        System.out.print(t);
    }

    /** The MTA's CPU per message of a latency row, marked when the MTA fell behind (class comment). */
    static String cpuCell(String[] f) {
        if (f.length < 28 || f[24].equals("-")) {
            return "–";
        }
        return f[27].equals("steady")
                ? f[24]
                : f[24] + " (not steady: " + f[26] + " delivered, " + f[25] + " accepted)";
    }

    /** Postfix's CPU per message over this row's, said to be uncertain when either fell behind. */
    static String cpuRatio(String[] postfix, String[] row) {
        if (postfix.length < 28 || row.length < 28) {
            return "–";
        }
        String r = ratio(postfix[24], row[24]);
        if (!postfix[27].equals("steady")) {
            return r + " (Postfix fell behind)";
        }
        return row[27].equals("steady") ? r : r + " (this path fell behind)";
    }

    static String ratio(String a, String b) {
        try {
            return fmt(Double.parseDouble(a) / Double.parseDouble(b));
        } catch (NumberFormatException e) {
            return "–";
        }
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }
}
