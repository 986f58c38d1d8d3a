import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.SigV4Signer;
import io.poolmta.cli.SesHttpClient;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * The Java half of bench/e2e-throughput.sh: SES-side setup of PoolMTA, the two load generators
 * PoolMTA needs (smtp-source cannot AUTH; the SES API needs SigV4), one uniform timer for every
 * measurement, and the report. Compiled and run by the script against target/poolmta.jar:
 *
 * <pre>
 *   javac -cp target/poolmta.jar -d DIR bench/src/PoolMtaBench.java
 *   java -cp target/poolmta.jar:DIR PoolMtaBench serve COMMAND_FIFO STATUS_FIFO   (the commands below, one
 *        per line with tab-separated words, in one JVM: what e2e-throughput.sh does; see {@link #serve})
 *   java -cp target/poolmta.jar:DIR PoolMtaBench setup   --api URL --key ID --secret S --pool NAME=IP,IP --set NAME=POOL ...
 *        [--template NAME [--size BODY_BYTES]] [--identity DOMAIN [--dkim-signing on|off]]
 *   java -cp target/poolmta.jar:DIR PoolMtaBench measure --label L --run R --messages N --sink-counter FILE
 *        [--sink-pid PID] [--size BODY_BYTES] [--timeout SECONDS] [--results FILE]
 *        [--cpu-cgroup DIR | --cpu-tree PID] [--db-cgroup DIR] INJECTOR...
 *     INJECTOR is one of
 *       exec CMD [CMD...]                    shell commands started together (smtp-source)
 *       smtp HOST:PORT USER PASS C SET[,SET] [K] [TLS]  SMTP submission, C sessions, STARTTLS (TLS 1,
 *                                            the default; 0 = clear text) then AUTH PLAIN once per
 *                                            connection, K messages per connection (0 = all); a
 *                                            cluster: HOST:PORT,HOST:PORT,... and SETS/SETS/... (see
 *                                            {@link SmtpLoad})
 *       api  URL KEY SECRET C SET[,SET] [MODE TEMPLATE]  SES v2, C concurrent clients: SendEmail with
 *                                            Simple content (MODE simple, the default), SendEmail
 *                                            with Template content (template) or SendBulkEmail with
 *                                            50 entries a call (bulk), both naming TEMPLATE
 *   java -cp ... PoolMtaBench verify  --label L --dump FILE --from BYTE --to BYTE
 *        [--pool-even IPS --pool-odd IPS | --sender LOCALPART=IPS ...] [--results FILE]
 *        [--expect N] [--via-odd K=IPS ... --node-ips K=IPS ...]
 *   java -cp ... PoolMtaBench report  --results FILE
 * </pre>
 *
 * <p>Timing, the same for every measurement: t0 is taken just before the injector starts; the
 * measurement ends when smtp-sink's running counter (smtp-sink -c, written to a file) has grown by
 * N since t0. The rate is N / (t_end - t0). The counter is polled every 5 ms.
 *
 * <p>The MTA's CPU over the same interval comes from its own cgroup when the script made one
 * ({@code --cpu-cgroup}: v2 {@code cpu.stat} usage_usec or v1 {@code cpuacct.usage}), which counts
 * every process the MTA forks, however short-lived; else from /proc ({@code --cpu-tree}). A database
 * the MTA uses, in a cgroup of its own ({@code --db-cgroup}), is counted apart in an extra column.
 *
 * <p>The SMTP generator is one thread with a selector, as smtp-source is one process with
 * {@code poll}: non-blocking channels, read when the selector says a reply is there, so a reply
 * never has to wake a thread parked on its socket (see {@link SmtpLoad}); it stops itself at the
 * deadline. The API generator's sockets are plain blocking sockets: no {@code SO_TIMEOUT} and no
 * connect timeout, because the JDK puts such a socket in non-blocking mode and then pays a read
 * that fails with EAGAIN, a {@code poll} and the read again for every reply it waits for, which
 * would be charged to the generator's CPU and the machine's two cores. A hung server is handled at
 * the deadline instead: {@link #measure} closes every socket still open ({@link #OPEN}), which
 * ends the blocked reads.
 */
public final class PoolMtaBench {
    static final ObjectMapper JSON = new ObjectMapper();
    /** Body size of each generated message (measure --size; smtp-source -l takes the same number). */
    static int bodyBytes = 2048;

    static final String RCPT = "user@bench.test";
    static final String SENDER = "sender@bench-sender.test";

    public static void main(String[] args) throws Exception {
        if (args.length == 3 && args[0].equals("serve")) {
            serve(Path.of(args[1]), Path.of(args[2]));
        } else {
            run(args);
        }
    }

    static void run(String[] args) throws Exception {
        if (args.length == 0) {
            throw new IllegalArgumentException("usage: setup|measure|verify|report ... (see the class comment)");
        }
        List<String> rest = List.of(args).subList(1, args.length);
        switch (args[0]) {
            case "setup" -> setup(new Opts(rest));
            case "measure" -> measure(new Opts(rest));
            case "report" -> report(new Opts(rest));
            case "verify" -> verify(new Opts(rest));
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    /**
     * Runs commands one after another in this JVM: each line read from {@code commands} (a FIFO) is
     * one command, its words separated by tabs; after each, its exit status (0, or 1 after an
     * exception, which is printed) is written as a line to {@code statuses}. Ends at the end of
     * {@code commands}. One JVM for the whole benchmark: its JIT compiles the clients with C2
     * during the warm-up, as smtp-source is compiled C, and no measurement pays for a JVM's start.
     */
    static void serve(Path commands, Path statuses) throws IOException {
        try (var in = Files.newBufferedReader(commands);
                var out = Files.newBufferedWriter(statuses)) {
            for (String line; (line = in.readLine()) != null; ) {
                int status = 0;
                try {
                    run(line.split("\t", -1));
                } catch (Exception | AssertionError e) {
                    e.printStackTrace();
                    status = 1;
                }
                System.out.flush();
                System.err.flush();
                out.write(status + "\n");
                out.flush();
            }
        }
    }

    /** --name value options followed by positional words. */
    static final class Opts {
        final Map<String, List<String>> named = new LinkedHashMap<>();
        final List<String> positional = new ArrayList<>();

        Opts(List<String> args) {
            for (int i = 0; i < args.size(); i++) {
                String a = args.get(i);
                if (a.startsWith("--") && positional.isEmpty()) {
                    named.computeIfAbsent(a.substring(2), k -> new ArrayList<>())
                            .add(args.get(++i));
                } else {
                    positional.add(a);
                }
            }
        }

        String get(String name) {
            List<String> v = named.get(name);
            if (v == null) {
                throw new IllegalArgumentException("missing --" + name);
            }
            return v.getLast();
        }

        String get(String name, String fallback) {
            return named.containsKey(name) ? get(name) : fallback;
        }

        List<String> all(String name) {
            return named.getOrDefault(name, List.of());
        }
    }

    // ---------------------------------------------------------------- setup (SES API, SigV4)

    /** Pools with their IPs (warm-up set to 100% so no warm-up cap applies), then configuration sets. */
    static void setup(Opts o) {
        SesHttpClient ses = new SesHttpClient(o.get("api"), o.get("key"), o.get("secret"));
        for (String spec : o.all("pool")) {
            String[] parts = spec.split("=", 2);
            ses.call(
                    "POST",
                    "/v2/email/dedicated-ip-pools",
                    JSON.createObjectNode().put("PoolName", parts[0]));
            for (String ip : parts[1].split(",")) {
                ses.call(
                        "PUT",
                        "/v2/email/dedicated-ips/" + ip + "/pool",
                        JSON.createObjectNode().put("DestinationPoolName", parts[0]));
                ses.call(
                        "PUT",
                        "/v2/email/dedicated-ips/" + ip + "/warmup",
                        JSON.createObjectNode().put("WarmupPercentage", 100));
            }
            System.err.println("pool " + parts[0] + ": " + parts[1]); // a log line: stdout carries the results
        }
        for (String spec : o.all("set")) {
            String[] parts = spec.split("=", 2);
            ObjectNode body = JSON.createObjectNode().put("ConfigurationSetName", parts[0]);
            body.putObject("DeliveryOptions").put("SendingPoolName", parts[1]).put("TlsPolicy", "OPTIONAL");
            ses.call("POST", "/v2/email/configuration-sets", body);
            System.err.println("configuration set " + parts[0] + " -> pool " + parts[1]);
        }
        if (o.named.containsKey("identity")) {
            // the senders' domain: the script then has the operator vouch for it (poolmta identity verify)
            String domain = o.get("identity");
            ses.call("POST", "/v2/email/identities", JSON.createObjectNode().put("EmailIdentity", domain));
            boolean signing = !o.get("dkim-signing", "on").equals("off");
            ses.call(
                    "PUT",
                    "/v2/email/identities/" + domain + "/dkim",
                    JSON.createObjectNode().put("SigningEnabled", signing));
            System.err.println("identity " + domain + ": DKIM signing " + (signing ? "on" : "off"));
        }
        if (o.named.containsKey("template")) {
            bodyBytes = Integer.parseInt(o.get("size", "2048"));
            ObjectNode body = JSON.createObjectNode().put("TemplateName", o.get("template"));
            body.putObject("TemplateContent")
                    .put("Subject", "bench {{n}}")
                    .put("Text", "Dear {{name}},\r\n\r\n" + body());
            ses.call("POST", "/v2/email/templates", body);
            System.err.println(
                    "template " + o.get("template") + ": " + bodyBytes + "-byte text with {{n}} and {{name}}");
        }
    }

    // ---------------------------------------------------------------- measure

    /** What an injector did: messages accepted, retries after 4xx/429/5xx, hard failures. */
    static final class Tally {
        final AtomicInteger accepted = new AtomicInteger();
        final AtomicInteger retries = new AtomicInteger();
        final AtomicInteger failures = new AtomicInteger();
        final AtomicReference<String> firstError = new AtomicReference<>();
        /** Why messages were sent again: "HTTP 429", "SMTP 451", "connection", ... */
        final Map<String, AtomicInteger> retryReasons = new java.util.concurrent.ConcurrentSkipListMap<>();

        void retry(String reason) {
            retries.incrementAndGet();
            retryReasons.computeIfAbsent(reason, r -> new AtomicInteger()).incrementAndGet();
        }

        String retrySummary() {
            StringBuilder b = new StringBuilder();
            retryReasons.forEach((k, v) ->
                    b.append(b.isEmpty() ? "" : ", ").append(k).append(": ").append(v.get()));
            return b.isEmpty() ? "" : " (" + b + ")";
        }

        void fail(String error) {
            failures.incrementAndGet();
            firstError.compareAndSet(null, error);
        }
    }

    /** The generators' open sockets, closed by {@link #measure} at the deadline. */
    static final Set<Socket> OPEN = ConcurrentHashMap.newKeySet();

    /** A connected blocking socket with TCP_NODELAY, registered in {@link #OPEN} until closed. */
    static Socket connect(String host, int port) throws IOException {
        Socket socket = new Socket() {
            @Override
            public synchronized void close() throws IOException {
                OPEN.remove(this);
                super.close();
            }
        };
        OPEN.add(socket);
        try {
            socket.connect(new InetSocketAddress(host, port));
            socket.setTcpNoDelay(true);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        return socket;
    }

    interface Injector {
        /** Runs to the end (or until {@code deadlineNanos}). */
        void run(int messages, Tally tally, long deadlineNanos) throws Exception;
    }

    static void measure(Opts o) throws Exception {
        String label = o.get("label");
        int run = Integer.parseInt(o.get("run", "0"));
        int n = Integer.parseInt(o.get("messages"));
        Path counter = Path.of(o.get("sink-counter"));
        Duration timeout = Duration.ofSeconds(Long.parseLong(o.get("timeout", "300")));
        long cpuPid = Long.parseLong(o.get("cpu-tree", "0"));
        Path cgroup = o.named.containsKey("cpu-cgroup") ? Path.of(o.get("cpu-cgroup")) : null;
        long sinkPid = Long.parseLong(o.get("sink-pid", "0"));
        // a database the MTA uses (bench/cluster-cpu.sh: PostgreSQL in its own cgroup), counted apart
        Path dbCgroup = o.named.containsKey("db-cgroup") ? Path.of(o.get("db-cgroup")) : null;
        bodyBytes = Integer.parseInt(o.get("size", "2048"));
        Injector injector = injector(o.positional);

        long base = sinkCount(counter);
        long[] cpu0 = systemCpu();
        double mta0 = cgroup != null ? cgroupCpuSeconds(cgroup) : cpuPid > 0 ? treeCpuSeconds(cpuPid) : 0;
        double gen0 = ownCpuSeconds();
        double sink0 = sinkPid > 0 ? processCpuSeconds(sinkPid) : 0;
        double db0 = dbCgroup != null ? cgroupCpuSeconds(dbCgroup) : 0;
        Tally tally = new Tally();
        long t0 = System.nanoTime();
        long deadline = t0 + timeout.toNanos();
        AtomicLong injectedAt = new AtomicLong();
        Thread inject = Thread.ofPlatform().name("injector").start(() -> {
            try {
                injector.run(n, tally, deadline);
            } catch (Exception e) {
                tally.fail(e.toString());
            } finally {
                injectedAt.set(System.nanoTime());
            }
        });
        long got = 0;
        long end = 0;
        while (System.nanoTime() < deadline) {
            got = sinkCount(counter) - base;
            if (got >= n) {
                end = System.nanoTime();
                break;
            }
            if (!inject.isAlive()
                    && tally.failures.get() > 0
                    && tally.accepted.get() + tally.failures.get() >= n
                    && got >= tally.accepted.get()) {
                break; // every message either arrived or was refused for good: nothing more will come
            }
            Thread.sleep(5);
        }
        inject.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())) + 5_000);
        if (inject.isAlive()) { // a client is blocked on a server that stopped answering
            for (Socket socket : List.copyOf(OPEN)) {
                socket.close();
            }
            inject.join(5_000);
        }
        long[] cpu1 = systemCpu();
        double mtaCpu = cgroup != null
                ? cgroupCpuSeconds(cgroup) - mta0
                : cpuPid > 0 ? treeCpuSeconds(cpuPid) - mta0 : Double.NaN;
        double genCpu = ownCpuSeconds() - gen0;
        double sinkCpu = sinkPid > 0 ? processCpuSeconds(sinkPid) - sink0 : Double.NaN;
        double dbCpu = dbCgroup != null ? cgroupCpuSeconds(dbCgroup) - db0 : Double.NaN;
        boolean complete = end > 0;
        double seconds = ((complete ? end : System.nanoTime()) - t0) / 1e9;
        double injectSeconds = injectedAt.get() > 0 ? (injectedAt.get() - t0) / 1e9 : Double.NaN;
        double rate = complete ? n / seconds : Double.NaN;
        double busy = cpu1[1] - cpu0[1] == 0 ? 0 : 100.0 * (cpu1[0] - cpu0[0]) / (cpu1[1] - cpu0[1]);
        String row = String.join(
                "\t",
                label,
                Integer.toString(run),
                Integer.toString(n),
                complete ? "ok" : "INCOMPLETE(" + got + "/" + n + ")",
                fmt(seconds),
                fmt(rate),
                fmt(injectSeconds),
                Integer.toString(tally.retries.get()),
                Integer.toString(tally.failures.get()),
                fmt3(mtaCpu),
                fmt(genCpu),
                fmt(busy),
                fmt(sinkCpu));
        if (dbCgroup != null) {
            row += "\t" + fmt3(dbCpu);
        }
        System.out.printf(
                Locale.ROOT,
                "%-14s run %d: %s msgs in %s s = %s msg/s (injection done at %s s; retries %d%s,"
                        + " failures %d%s; MTA CPU %s s%s, generator CPU %s s, sink CPU %s s, machine busy %s%%)%n",
                label,
                run,
                n,
                fmt(seconds),
                fmt(rate),
                fmt(injectSeconds),
                tally.retries.get(),
                tally.retrySummary(),
                tally.failures.get(),
                tally.firstError.get() == null ? "" : " first: " + tally.firstError.get(),
                fmt3(mtaCpu),
                dbCgroup != null ? ", database CPU " + fmt3(dbCpu) + " s" : "",
                fmt(genCpu),
                fmt(sinkCpu),
                fmt(busy));
        if (!complete) {
            System.out.println(
                    "  INCOMPLETE: the sink received " + got + " of " + n + " within " + timeout.toSeconds() + " s");
        }
        String results = o.get("results", "");
        if (!results.isEmpty()) {
            Files.writeString(Path.of(results), row + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    static Injector injector(List<String> words) {
        if (words.isEmpty()) {
            throw new IllegalArgumentException("missing injector: exec|smtp|api");
        }
        List<String> a = words.subList(1, words.size());
        return switch (words.getFirst()) {
            case "exec" -> (n, tally, deadline) -> execAll(a, tally, deadline);
            case "smtp" ->
                new SmtpLoad(
                        a.get(0),
                        a.get(1),
                        a.get(2),
                        Integer.parseInt(a.get(3)),
                        List.of(a.get(4).split(",")),
                        a.size() > 5 ? Integer.parseInt(a.get(5)) : 0,
                        a.size() <= 6 || !a.get(6).equals("0"));
            case "api" ->
                new ApiLoad(
                        a.get(0),
                        a.get(1),
                        a.get(2),
                        Integer.parseInt(a.get(3)),
                        List.of(a.get(4).split(",")),
                        a.size() > 5 ? a.get(5) : "simple",
                        a.size() > 6 ? a.get(6) : "");
            default -> throw new IllegalArgumentException("unknown injector " + words.getFirst());
        };
    }

    /** Starts every command at once (bash -c) and waits for all; their output goes to our stderr. */
    static void execAll(List<String> commands, Tally tally, long deadline) throws Exception {
        List<Process> processes = new ArrayList<>();
        for (String command : commands) {
            Process p = new ProcessBuilder("bash", "-c", command)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            processes.add(p);
            RUNNING.add(p);
        }
        for (Process p : processes) {
            long left = Math.max(1, deadline - System.nanoTime());
            if (!p.waitFor(left, TimeUnit.NANOSECONDS)) {
                p.destroyForcibly();
                tally.fail("command still running at the deadline");
            }
            RUNNING.remove(p);
        }
    }

    /** Commands started by {@link #execAll} and still running: if this JVM is stopped (the script's trap), they stop with it. */
    static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroyForcibly)));
    }

    /** bodyBytes of body in lines of at most 78 characters plus CRLF, like smtp-source -l bodyBytes. */
    static String body() {
        StringBuilder b = new StringBuilder();
        int line = 0;
        while (b.length() < bodyBytes) {
            String prefix = Integer.toString(++line);
            int room = Math.min(78, bodyBytes - b.length() - 2);
            if (room <= prefix.length()) {
                b.append("X".repeat(Math.max(0, bodyBytes - b.length())));
                break;
            }
            b.append(prefix).append("X".repeat(room - prefix.length())).append("\r\n");
        }
        return b.toString();
    }

    // ---------------------------------------------------------------- SMTP submission load

    /**
     * C sessions share one message counter. Each session connects, EHLOs, starts TLS (STARTTLS, then
     * EHLO again; unless tls is off), AUTHs (PLAIN) once, then sends messages one after another over
     * the same connection (no pipelining, like smtp-source -d) — as mail clients use a submission
     * port. TLS is the JDK's SSLEngine over the same non-blocking channel, trusting any certificate
     * (PoolMTA's is self-signed).
     * Message i carries X-SES-CONFIGURATION-SET: sets[i % sets]. Several servers (HOST:PORT,HOST:PORT,...;
     * a cluster's nodes): session s talks to server s % servers, and sets may be given per server
     * (groups separated by "/", group k for server k); each message then also carries
     * X-Bench-Via: k (1 for the first server), the node that accepted it, for the pool check.
     * A 4xx reply re-queues the message
     * (counted as a retry) and pauses its session for 50 ms; a 5xx is a failure; a broken
     * connection re-queues the message in flight and reconnects after 100 ms.
     * <p>
     * Built like smtp-source: <b>one thread drives every session</b> through a selector, each
     * session one command at a time. (It was a thread per session until 2026-11-27 13:20 UTC: every
     * reply then had to wake the one thread blocked on that connection, a cost the kernel charges
     * to the writer — PoolMTA — which smtp-source's single event loop does not impose on Postfix.)
     */
    static final class SmtpLoad implements Injector {
        final List<InetSocketAddress> addresses;
        final String authPlain;
        final int concurrency;
        final List<List<String>> sets; // per server; one group for all when not given per server
        final int perConnection;
        final SSLContext tls; // null: clear text, no STARTTLS

        SmtpLoad(
                String hostPort,
                String user,
                String pass,
                int concurrency,
                List<String> sets,
                int perConnection,
                boolean startTls) {
            this.addresses = new ArrayList<>();
            for (String one : hostPort.split(",")) {
                int colon = one.lastIndexOf(':');
                addresses.add(
                        new InetSocketAddress(one.substring(0, colon), Integer.parseInt(one.substring(colon + 1))));
            }
            this.authPlain = "AUTH PLAIN "
                    + Base64.getEncoder().encodeToString(("\0" + user + "\0" + pass).getBytes(StandardCharsets.UTF_8));
            this.concurrency = concurrency;
            List<List<String>> groups = new ArrayList<>();
            for (String group : String.join(",", sets).split("/")) {
                groups.add(List.of(group.split(",")));
            }
            this.sets = groups;
            this.perConnection = perConnection;
            this.tls = startTls ? trustingTls() : null;
        }

        /** A TLS client context that accepts any server certificate: the benchmark's server is on loopback. */
        static SSLContext trustingTls() {
            X509TrustManager any = new X509TrustManager() {
                @Override
                public void checkClientTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public void checkServerTrusted(X509Certificate[] chain, String authType) {}

                @Override
                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            };
            try {
                SSLContext context = SSLContext.getInstance("TLS");
                context.init(null, new TrustManager[] {any}, null);
                return context;
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public void run(int n, Tally tally, long deadline) throws Exception {
            Work work = new Work(n, body(), tally);
            List<Session> sessions = new ArrayList<>();
            try (Selector selector = Selector.open()) {
                for (int s = 0; s < concurrency; s++) {
                    sessions.add(new Session(work, selector, s % addresses.size()));
                }
                while (System.nanoTime() < deadline) {
                    long now = System.nanoTime();
                    long wake = deadline;
                    boolean active = false;
                    for (Session session : sessions) {
                        session.resumeIfDue(now);
                        active |= !session.finished;
                        if (session.pausedUntil > 0) {
                            wake = Math.min(wake, session.pausedUntil);
                        }
                    }
                    if (!active) {
                        return;
                    }
                    selector.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(wake - now)));
                    for (SelectionKey key : selector.selectedKeys()) {
                        ((Session) key.attachment()).ready(key);
                    }
                    selector.selectedKeys().clear();
                }
            } finally {
                sessions.forEach(Session::close);
            }
        }

        /** What the sessions share: the next message, the ones to send again, the body, the tally. */
        private static final class Work {
            final int n;
            final String body;
            final Tally tally;
            final ArrayDeque<Integer> again = new ArrayDeque<>();
            int next;

            Work(int n, String body, Tally tally) {
                this.n = n;
                this.body = body;
                this.tally = tally;
            }

            Integer take() {
                Integer i = again.poll();
                return i != null ? i : next < n ? next++ : null;
            }
        }

        private enum Step {
            CONNECT,
            GREETING,
            EHLO,
            STARTTLS,
            HANDSHAKE,
            EHLO_TLS,
            AUTH,
            MAIL,
            RCPT,
            DATA,
            END,
            RSET,
            QUIT
        }

        /** One SMTP session, driven by the selector thread: a step, the reply it waits for, what it still has to write. */
        private final class Session {
            private final Work work;
            private final Selector selector;
            private final InetSocketAddress address;
            private final List<String> serverSets;
            private final String via; // the X-Bench-Via header line, or "" with one server
            private final ByteBuffer in = ByteBuffer.allocate(1 << 15); // replies, in clear text
            private ByteBuffer out = ByteBuffer.allocate(0); // the command being written, in clear text
            private SSLEngine engine; // after STARTTLS; null before
            private ByteBuffer netIn; // TLS records read, not yet unwrapped (write mode)
            private ByteBuffer netOut; // TLS records wrapped, not yet written (write mode)
            private SocketChannel channel;
            private SelectionKey key;
            private Step step;
            private Integer current;
            private String outcome; // a refusal answered before the RSET that follows it
            private int sent;
            private boolean reconnect; // after QUIT: this connection sent its --per-connection share
            long pausedUntil; // 0: not paused
            boolean finished;

            Session(Work work, Selector selector, int server) throws IOException {
                this.work = work;
                this.selector = selector;
                this.address = addresses.get(server);
                this.serverSets = sets.get(sets.size() == 1 ? 0 : server);
                this.via = addresses.size() == 1 ? "" : "X-Bench-Via: " + (server + 1) + "\r\n";
                open();
            }

            /** Connects for the next message, or finishes when there is none. */
            private void open() {
                current = work.take();
                if (current == null) {
                    finished = true;
                    return;
                }
                sent = 0;
                try {
                    channel = SocketChannel.open();
                    channel.configureBlocking(false);
                    channel.setOption(StandardSocketOptions.TCP_NODELAY, true);
                    boolean connected = channel.connect(address);
                    step = connected ? Step.GREETING : Step.CONNECT;
                    key = channel.register(selector, connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, this);
                } catch (IOException e) {
                    broken();
                }
            }

            void resumeIfDue(long now) {
                if (pausedUntil == 0 || now < pausedUntil) {
                    return;
                }
                pausedUntil = 0;
                if (channel == null) {
                    open();
                } else {
                    next();
                }
            }

            void ready(SelectionKey k) {
                try {
                    if (k.isConnectable()) {
                        channel.finishConnect();
                        step = Step.GREETING;
                        k.interestOps(SelectionKey.OP_READ);
                        return;
                    }
                    if (step == Step.HANDSHAKE) {
                        handshake();
                        return;
                    }
                    if (k.isWritable()) {
                        flush();
                        return;
                    }
                    if (k.isReadable()) {
                        if (channel.read(engine == null ? in : netIn) < 0) {
                            throw new IOException("connection closed");
                        }
                        if (engine != null) {
                            unwrap();
                        }
                        String reply;
                        while ((reply = reply()) != null) {
                            answered(reply);
                            if (channel == null) {
                                return;
                            }
                        }
                    }
                } catch (IOException | java.nio.channels.CancelledKeyException e) {
                    broken();
                }
            }

            /** STARTTLS answered 220: a client engine over this channel, then the handshake. */
            private void startTls() throws IOException {
                engine = tls.createSSLEngine(address.getHostString(), address.getPort());
                engine.setUseClientMode(true);
                netIn = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
                netOut = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
                in.clear();
                engine.beginHandshake();
                step = Step.HANDSHAKE;
                handshake();
            }

            /** Drives the handshake as far as the channel allows; when done, says EHLO again. */
            private void handshake() throws IOException {
                while (true) {
                    if (!writeNet()) {
                        key.interestOps(SelectionKey.OP_WRITE);
                        return;
                    }
                    switch (engine.getHandshakeStatus()) {
                        case NEED_TASK -> {
                            for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                                task.run();
                            }
                        }
                        case NEED_WRAP -> check(engine.wrap(ByteBuffer.allocate(0), netOut));
                        case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                            netIn.flip();
                            SSLEngineResult r = engine.unwrap(netIn, in);
                            netIn.compact();
                            if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                                int read = channel.read(netIn);
                                if (read < 0) {
                                    throw new IOException("connection closed during the TLS handshake");
                                }
                                if (read == 0) {
                                    key.interestOps(SelectionKey.OP_READ);
                                    return;
                                }
                            } else {
                                check(r);
                            }
                        }
                        default -> { // FINISHED, NOT_HANDSHAKING
                            send(Step.EHLO_TLS, "EHLO bench-client.localhost\r\n");
                            return;
                        }
                    }
                }
            }

            /** Unwraps every whole TLS record read so far into {@code in}. */
            private void unwrap() throws IOException {
                netIn.flip();
                try {
                    while (netIn.hasRemaining()) {
                        SSLEngineResult r = engine.unwrap(netIn, in);
                        if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW) {
                            break;
                        }
                        check(r);
                        if (r.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                            for (Runnable task; (task = engine.getDelegatedTask()) != null; ) {
                                task.run();
                            }
                        }
                        if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                            break;
                        }
                    }
                } finally {
                    netIn.compact();
                }
            }

            private void check(SSLEngineResult r) throws SSLException {
                if (r.getStatus() != SSLEngineResult.Status.OK) {
                    throw new SSLException("TLS " + r.getStatus() + " in " + step);
                }
            }

            /** Writes the wrapped bytes still pending; whether all are written. */
            private boolean writeNet() throws IOException {
                if (netOut.position() == 0) {
                    return true;
                }
                netOut.flip();
                channel.write(netOut);
                netOut.compact();
                return netOut.position() == 0;
            }

            /** The last line of the next complete reply in {@code in} (multi-line replies whole), or null. */
            private String reply() {
                int end = in.position();
                int lineStart = 0;
                for (int i = 0; i < end; i++) {
                    if (in.get(i) != '\n') {
                        continue;
                    }
                    boolean last = i - lineStart < 4 || in.get(lineStart + 3) != '-';
                    if (last) {
                        int stop = i > lineStart && in.get(i - 1) == '\r' ? i - 1 : i;
                        byte[] line = new byte[stop - lineStart];
                        in.get(lineStart, line);
                        in.flip().position(i + 1);
                        in.compact();
                        return new String(line, StandardCharsets.ISO_8859_1);
                    }
                    lineStart = i + 1;
                }
                if (!in.hasRemaining()) {
                    in.clear(); // a reply longer than the buffer: not from an SMTP server this benchmark knows
                }
                return null;
            }

            private void answered(String reply) throws IOException {
                switch (step) {
                    case GREETING -> send(expect(reply, "220", Step.EHLO), "EHLO bench-client.localhost\r\n");
                    case EHLO -> {
                        if (tls != null) {
                            send(expect(reply, "250", Step.STARTTLS), "STARTTLS\r\n");
                        } else {
                            send(expect(reply, "250", Step.AUTH), authPlain + "\r\n");
                        }
                    }
                    case STARTTLS -> {
                        expect(reply, "220", Step.HANDSHAKE);
                        startTls();
                    }
                    case EHLO_TLS -> send(expect(reply, "250", Step.AUTH), authPlain + "\r\n");
                    case AUTH -> {
                        expect(reply, "235", Step.MAIL);
                        mail();
                    }
                    case MAIL -> {
                        if (reply.startsWith("250")) {
                            send(Step.RCPT, "RCPT TO:<" + RCPT + ">\r\n");
                        } else {
                            done(reply);
                        }
                    }
                    case RCPT -> {
                        if (reply.startsWith("250")) {
                            send(Step.DATA, "DATA\r\n");
                        } else {
                            rset(reply);
                        }
                    }
                    case DATA -> {
                        if (reply.startsWith("354")) {
                            int i = current;
                            send(
                                    Step.END,
                                    "From: <" + SENDER + ">\r\nTo: <" + RCPT + ">\r\nSubject: bench " + i
                                            + "\r\nX-SES-CONFIGURATION-SET: " + serverSets.get(i % serverSets.size())
                                            + "\r\n" + via + "\r\n"
                                            + work.body
                                            + "\r\n.\r\n");
                        } else {
                            rset(reply);
                        }
                    }
                    case END -> done(reply);
                    case RSET -> done(outcome);
                    case QUIT -> quit();
                    case CONNECT, HANDSHAKE -> throw new IOException("a reply in step " + step);
                }
            }

            private Step expect(String reply, String code, Step next) throws IOException {
                if (!reply.startsWith(code)) {
                    throw new IOException(step + " answered " + reply);
                }
                return next;
            }

            private void mail() throws IOException {
                send(Step.MAIL, "MAIL FROM:<" + SENDER + ">\r\n");
            }

            private void rset(String refusal) throws IOException {
                outcome = refusal;
                send(Step.RSET, "RSET\r\n");
            }

            /** The current message's final answer; then the next message, a pause, or QUIT. */
            private void done(String reply) throws IOException {
                sent++;
                if (reply.startsWith("2")) {
                    work.tally.accepted.incrementAndGet();
                } else if (reply.startsWith("4")) {
                    work.tally.retry("SMTP " + reply.substring(0, Math.min(3, reply.length())));
                    work.again.add(current);
                    current = null;
                    key.interestOps(0);
                    pausedUntil = System.nanoTime() + 50_000_000L;
                    return;
                } else {
                    work.tally.fail("message " + current + ": " + reply);
                }
                current = null;
                next();
            }

            /** After a message (or a pause): the next one on this connection, or QUIT (and a new connection if messages are left). */
            private void next() {
                try {
                    reconnect = perConnection > 0 && sent >= perConnection;
                    current = reconnect ? null : work.take();
                    if (current == null) {
                        send(Step.QUIT, "QUIT\r\n");
                    } else {
                        mail();
                    }
                } catch (IOException e) {
                    broken();
                }
            }

            private void send(Step next, String text) throws IOException {
                step = next;
                out = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
                flush();
            }

            private void flush() throws IOException {
                if (engine == null) {
                    channel.write(out);
                    key.interestOps(out.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
                    return;
                }
                while (writeNet() && out.hasRemaining()) {
                    check(engine.wrap(out, netOut));
                }
                key.interestOps(netOut.position() > 0 ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
            }

            /** QUIT answered (or the server hung up after it): a new connection for the messages left, or the end. */
            private void quit() {
                close();
                if (reconnect) {
                    open();
                } else {
                    finished = true;
                }
            }

            /** The connection broke: the message in flight is not known to be accepted; send it again, reconnect after 100 ms. */
            private void broken() {
                if (step == Step.QUIT) {
                    quit();
                    return;
                }
                work.tally.retry("connection");
                if (current != null) {
                    work.again.add(current);
                }
                current = null;
                close();
                pausedUntil = System.nanoTime() + 100_000_000L;
            }

            void close() {
                if (channel != null) {
                    try {
                        channel.close();
                    } catch (IOException e) {
                        // closing anyway
                    }
                    channel = null;
                    key = null;
                }
                engine = null;
                in.clear();
            }
        }
    }

    // ---------------------------------------------------------------- SES API load

    /**
     * C client threads share one call counter; each keeps one HTTP/1.1 keep-alive connection
     * (a plain socket: java.net.http's client costs as much CPU per request as the server does,
     * and this machine has 2 cores). Every request is SigV4-signed by PoolMTA's own
     * {@link SigV4Signer}. By mode:
     * <ul>
     *   <li>simple: SendEmail with Simple content (a text body of bodyBytes, 2048 unless --size),
     *       message i with subject "bench i" and ConfigurationSetName sets[i % sets];
     *   <li>template: SendEmail with Template content naming the template setup created (subject
     *       "bench {{n}}", text "Dear {{name}}," and bodyBytes), TemplateData {n: i, name: ...};
     *   <li>bulk: SendBulkEmail with {@value #BULK_ENTRIES} BulkEmailEntries a call (fewer in the
     *       last), one destination each with its ReplacementTemplateData, DefaultContent.Template
     *       naming the same template; call k goes through sets[k % sets], so its entries are
     *       numbered (k * 50 + j) * sets + k % sets: distinct, and of the same remainder as the set,
     *       as the pool check expects. Each entry whose result is SUCCESS counts as a message.
     * </ul>
     * 429 and 5xx are retried (the whole call) after 50 ms (counted); any other non-200 is a failure
     * (of every message of the call), as is a bulk entry that is not SUCCESS.
     */
    static final class ApiLoad implements Injector {
        static final int BULK_ENTRIES = 50;

        final URI uri;
        final SigV4Signer signer;
        final int concurrency;
        final List<String> sets;
        final String mode;
        final String template;

        ApiLoad(
                String baseUrl,
                String key,
                String secret,
                int concurrency,
                List<String> sets,
                String mode,
                String template) {
            if (!List.of("simple", "template", "bulk").contains(mode)) {
                throw new IllegalArgumentException("unknown api mode " + mode + " (simple|template|bulk)");
            }
            if (!mode.equals("simple") && template.isEmpty()) {
                throw new IllegalArgumentException("api mode " + mode + " needs a template name");
            }
            this.uri = URI.create(
                    baseUrl + (mode.equals("bulk") ? "/v2/email/outbound-bulk-emails" : "/v2/email/outbound-emails"));
            this.signer = new SigV4Signer(key, secret, "us-east-1", Clock.systemUTC());
            this.concurrency = concurrency;
            this.sets = sets;
            this.mode = mode;
            this.template = template;
        }

        @Override
        public void run(int n, Tally tally, long deadline) throws Exception {
            boolean bulk = mode.equals("bulk");
            int calls = bulk ? (n + BULK_ENTRIES - 1) / BULK_ENTRIES : n;
            AtomicInteger next = new AtomicInteger();
            String text = JSON.writeValueAsString(body()); // a JSON string literal, quotes included
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < concurrency; c++) {
                threads.add(Thread.ofPlatform().name("api-load-" + c).start(() -> {
                    Conn socket = null;
                    try {
                        int k;
                        while ((k = next.getAndIncrement()) < calls && System.nanoTime() < deadline) {
                            int messages = bulk ? Math.min(BULK_ENTRIES, n - k * BULK_ENTRIES) : 1;
                            while (System.nanoTime() < deadline) {
                                int status;
                                String answer;
                                try {
                                    if (socket == null) {
                                        socket = new Conn(uri.getHost(), uri.getPort());
                                    }
                                    String[] reply = post(socket, request(k, messages, text));
                                    status = Integer.parseInt(reply[0]);
                                    answer = reply[1];
                                    if (reply[2] != null) { // the server closes the connection
                                        socket.close();
                                        socket = null;
                                    }
                                } catch (IOException | RuntimeException e) {
                                    closeQuietly(socket);
                                    socket = null;
                                    status = -1;
                                    answer = e.toString();
                                }
                                if (status == 200) {
                                    int ok = bulk ? count(answer, "\"SUCCESS\"") : 1;
                                    tally.accepted.addAndGet(ok);
                                    for (int f = ok; f < messages; f++) {
                                        tally.fail("bulk entry not SUCCESS: " + answer);
                                    }
                                    break;
                                }
                                if (status == 429 || status >= 500 || status < 0) {
                                    tally.retry(status < 0 ? "connection" : "HTTP " + status);
                                    Thread.sleep(50);
                                    continue;
                                }
                                for (int f = 0; f < messages; f++) {
                                    tally.fail("HTTP " + status + " " + answer);
                                }
                                break;
                            }
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        closeQuietly(socket);
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }
        }

        private static int count(String text, String word) {
            int found = 0;
            for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + word.length())) {
                found++;
            }
            return found;
        }

        /** The signed HTTP request of call k (message k, or the bulk call's entries). */
        private byte[] request(int k, int messages, String text) {
            String from = "{\"FromEmailAddress\":\"" + SENDER + "\",";
            String to = "{\"ToAddresses\":[\"" + RCPT + "\"]}";
            String json = switch (mode) {
                case "simple" ->
                    from + "\"Destination\":" + to + ","
                            + "\"Content\":{\"Simple\":{\"Subject\":{\"Data\":\"bench " + k
                            + "\"},\"Body\":{\"Text\":{\"Data\":"
                            + text + "}}}},\"ConfigurationSetName\":\"" + sets.get(k % sets.size()) + "\"}";
                case "template" ->
                    from + "\"Destination\":" + to + ","
                            + "\"Content\":{\"Template\":{\"TemplateName\":\"" + template
                            + "\",\"TemplateData\":" + jsonString(templateData(k))
                            + "}},\"ConfigurationSetName\":\"" + sets.get(k % sets.size()) + "\"}";
                default -> {
                    StringBuilder b = new StringBuilder(from)
                            .append("\"DefaultContent\":{\"Template\":{\"TemplateName\":\"")
                            .append(template)
                            .append("\",\"TemplateData\":\"{}\"}},\"BulkEmailEntries\":[");
                    for (int j = 0; j < messages; j++) {
                        int number = (k * BULK_ENTRIES + j) * sets.size() + k % sets.size();
                        b.append(j == 0 ? "" : ",")
                                .append("{\"Destination\":")
                                .append(to)
                                .append(",\"ReplacementEmailContent\":{\"ReplacementTemplate\":")
                                .append("{\"ReplacementTemplateData\":")
                                .append(jsonString(templateData(number)))
                                .append("}}}");
                    }
                    yield b.append("],\"ConfigurationSetName\":\"")
                            .append(sets.get(k % sets.size()))
                            .append("\"}")
                            .toString();
                }
            };
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            Map<String, String> headers = signer.sign("POST", uri, Map.of("content-type", "application/json"), body);
            StringBuilder head = new StringBuilder("POST ")
                    .append(uri.getRawPath())
                    .append(" HTTP/1.1\r\n")
                    .append("host: ")
                    .append(uri.getHost())
                    .append(':')
                    .append(uri.getPort())
                    .append("\r\n")
                    .append("content-length: ")
                    .append(body.length)
                    .append("\r\n");
            headers.forEach((h, v) -> head.append(h).append(": ").append(v).append("\r\n"));
            head.append("\r\n");
            byte[] h = head.toString().getBytes(StandardCharsets.UTF_8);
            byte[] out = new byte[h.length + body.length];
            System.arraycopy(h, 0, out, 0, h.length);
            System.arraycopy(body, 0, out, h.length, body.length);
            return out;
        }

        /** The template's data for message i: its number (the subject) and a name for the greeting. */
        private static String templateData(int i) {
            return "{\"n\":\"" + i + "\",\"name\":\"Recipient " + i + "\"}";
        }

        /** A JSON string literal holding the text (TemplateData is JSON inside a JSON string). */
        private static String jsonString(String value) {
            try {
                return JSON.writeValueAsString(value);
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }

        /** One keep-alive connection with a buffered reader. */
        private static final class Conn implements AutoCloseable {
            final Socket socket;
            final InputStream in;
            final OutputStream out;

            Conn(String host, int port) throws IOException {
                socket = connect(host, port);
                in = new BufferedInputStream(socket.getInputStream());
                out = socket.getOutputStream();
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        }

        private static String[] post(Conn conn, byte[] request) throws IOException {
            return exchange(conn.in, conn.out, request);
        }

        /**
         * Sends one request on a keep-alive connection and reads the answer; returns {status, body,
         * "close" or null}. Reads Content-Length bodies. Shared with {@code LatencyBench}.
         */
        static String[] exchange(InputStream in, OutputStream out, byte[] request) throws IOException {
            out.write(request);
            out.flush();
            String status = line(in);
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new IOException("bad status line: " + status);
            }
            int length = 0;
            boolean close = false;
            for (String h; !(h = line(in)).isEmpty(); ) {
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Integer.parseInt(lower.substring(15).trim());
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                } else if (lower.startsWith("transfer-encoding:")) {
                    throw new IOException("unexpected " + h);
                }
            }
            byte[] body = in.readNBytes(length);
            if (body.length < length) {
                throw new IOException("connection closed in the response body");
            }
            return new String[] {parts[1], new String(body, StandardCharsets.UTF_8), close ? "close" : null};
        }

        /** One line of an HTTP or SMTP answer, without its CRLF. Shared with {@code LatencyBench}. */
        static String line(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            for (int c; (c = in.read()) != '\n'; ) {
                if (c < 0) {
                    throw new IOException("connection closed");
                }
                if (c != '\r') {
                    b.append((char) c);
                }
            }
            return b.toString();
        }

        private static void closeQuietly(Conn socket) {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }

    // ---------------------------------------------------------------- counters

    private static final Pattern MESG = Pattern.compile("mesg=(\\d+)");

    /** The last "mesg=N" smtp-sink -c wrote (it rewrites its counter line, separated by CR). */
    static long sinkCount(Path file) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            long len = f.length();
            int size = (int) Math.min(len, 512);
            byte[] tail = new byte[size];
            f.seek(len - size);
            f.readFully(tail);
            Matcher m = MESG.matcher(new String(tail, StandardCharsets.US_ASCII));
            long last = 0;
            while (m.find()) {
                last = Long.parseLong(m.group(1));
            }
            return last;
        }
    }

    /**
     * CPU seconds used so far by every process in a cgroup: v2 {@code cpu.stat} usage_usec, or v1
     * {@code cpuacct.usage} (nanoseconds); NaN when neither can be read.
     */
    static double cgroupCpuSeconds(Path dir) {
        try {
            Path v2 = dir.resolve("cpu.stat");
            if (Files.exists(v2)) {
                for (String line : Files.readAllLines(v2)) {
                    if (line.startsWith("usage_usec ")) {
                        return Long.parseLong(line.substring(11).trim()) / 1e6;
                    }
                }
                return Double.NaN;
            }
            return Long.parseLong(Files.readString(dir.resolve("cpuacct.usage")).trim()) / 1e9;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** {busy jiffies, total jiffies} of the whole machine, from /proc/stat. */
    static long[] systemCpu() {
        try {
            String[] f =
                    Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length; i++) {
                total += Long.parseLong(f[i]);
            }
            long idle = Long.parseLong(f[4]) + (f.length > 5 ? Long.parseLong(f[5]) : 0);
            return new long[] {total - idle, total};
        } catch (IOException | RuntimeException e) {
            return new long[] {0, 0};
        }
    }

    /**
     * CPU seconds of a process and everything it started: its own utime+stime, the cutime+cstime
     * of children it has reaped, and the same for each live child (Postfix's master reaps its
     * short-lived smtpd/smtp/cleanup processes, so their CPU stays counted). From /proc, USER_HZ 100.
     */
    static double treeCpuSeconds(long pid) {
        long ticks = 0;
        try (var dirs = Files.list(Path.of("/proc"))) {
            for (Path d : dirs.toList()) {
                String name = d.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                long[] stat = procStat(Long.parseLong(name));
                if (stat != null && (Long.parseLong(name) == pid || stat[0] == pid)) {
                    ticks += stat[1] + stat[2] + stat[3] + stat[4];
                }
            }
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
        return ticks / 100.0;
    }

    /** {ppid, utime, stime, cutime, cstime} of a process, or null when it is gone. */
    static long[] procStat(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new long[] {
                Long.parseLong(f[1]),
                Long.parseLong(f[11]),
                Long.parseLong(f[12]),
                Long.parseLong(f[13]),
                Long.parseLong(f[14])
            };
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** CPU seconds of one process (its utime+stime), or NaN when it is gone. */
    static double processCpuSeconds(long pid) {
        long[] stat = procStat(pid);
        return stat == null ? Double.NaN : (stat[1] + stat[2]) / 100.0;
    }

    /** This JVM's CPU plus that of the commands it started and reaped (smtp-source). */
    static double ownCpuSeconds() {
        long[] self = procStat(ProcessHandle.current().pid());
        return self == null ? Double.NaN : (self[1] + self[2] + self[3] + self[4]) / 100.0;
    }

    /** Three decimals: CPU milliseconds per message. */
    static String fmt3(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
    }

    static String fmt(double v) {
        return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
    }

    // ---------------------------------------------------------------- verify

    /**
     * Checks, from the bytes [from, to) of smtp-sink's dump (-D), that mail left from the right IPs:
     * every message's X-Client-Addr must be an IP of its pool. The pool of a message is known from
     * its "Subject: bench I" (PoolMTA: I even = --pool-even, odd = --pool-odd, as the generators
     * alternate the configuration sets) or from its envelope sender (Postfix: --sender LOCALPART=IPS).
     * Also counts distinct subjects, so a duplicate delivery shows. Prints one line; exit code 0.
     *
     * <p>For a cluster (bench/cluster-cpu.sh), whose SMTP clients mark each message with the node
     * that accepted it (X-Bench-Via: K): {@code --via-odd K=IPS} gives the odd messages' pool per
     * accepting node, {@code --node-ips K=IPS} the IPs each node holds, so a message that left from
     * another node's IP than the one that accepted it counts as handed over; {@code --expect N}
     * reports messages missing (fewer distinct subjects than N).
     */
    static void verify(Opts o) throws IOException {
        String label = o.get("label");
        long from = Long.parseLong(o.get("from"));
        long to = Long.parseLong(o.get("to"));
        byte[] bytes;
        try (RandomAccessFile f = new RandomAccessFile(o.get("dump"), "r")) {
            bytes = new byte[(int) (to - from)];
            f.seek(from);
            f.readFully(bytes);
        }
        Map<String, List<String>> expected = new LinkedHashMap<>(); // "even"/"odd"/localpart -> allowed IPs
        if (o.named.containsKey("pool-even")) {
            expected.put("even", List.of(o.get("pool-even").split(",")));
            expected.put("odd", List.of(o.get("pool-odd").split(",")));
        }
        for (String s : o.all("sender")) {
            String[] p = s.split("=", 2);
            expected.put(p[0], List.of(p[1].split(",")));
        }
        Map<String, List<String>> viaOdd = new LinkedHashMap<>(); // accepting node -> odd messages' pool
        for (String s : o.all("via-odd")) {
            String[] p = s.split("=", 2);
            viaOdd.put(p[0], List.of(p[1].split(",")));
        }
        Map<String, String> ipNode = new LinkedHashMap<>(); // IP -> the node that holds it
        for (String s : o.all("node-ips")) {
            String[] p = s.split("=", 2);
            for (String ip : p[1].split(",")) {
                ipNode.put(ip, p[0]);
            }
        }
        int expect = Integer.parseInt(o.get("expect", "0"));
        Map<String, Integer> perVia = new java.util.TreeMap<>();
        int handedOver = 0;
        int signed = 0; // messages with a DKIM-Signature header
        String via = null;
        Map<String, Integer> perIp = new java.util.TreeMap<>();
        java.util.Set<String> subjects = new java.util.HashSet<>();
        int messages = 0;
        int wrong = 0;
        int unknown = 0;
        int duplicates = 0;
        String addr = null;
        String key = null;
        String subject = null;
        List<String> lines = new ArrayList<>(List.of(new String(bytes, StandardCharsets.ISO_8859_1).split("\n", -1)));
        lines.add("X-Client-Addr: end-of-segment");
        for (String line : lines) {
            if (line.startsWith("X-Client-Addr: ")) {
                if (addr != null) {
                    messages++;
                    perIp.merge(addr, 1, Integer::sum);
                    if (subject != null && !subjects.add(subject)) {
                        duplicates++;
                    }
                    List<String> allowed = key == null
                            ? null
                            : key.equals("odd") && via != null && viaOdd.containsKey(via)
                                    ? viaOdd.get(via)
                                    : expected.get(key);
                    if (via != null) {
                        perVia.merge(via, 1, Integer::sum);
                        if (ipNode.containsKey(addr) && !ipNode.get(addr).equals(via)) {
                            handedOver++;
                        }
                    }
                    if (!expected.isEmpty()) {
                        if (allowed == null) {
                            unknown++;
                        } else if (!allowed.contains(addr)) {
                            wrong++;
                        }
                    }
                }
                addr = line.substring(15).trim();
                key = null;
                subject = null;
                via = null;
            } else if (line.startsWith("X-Mail-Args: <") && expected.containsKey(localPart(line.substring(14)))) {
                key = localPart(line.substring(14));
            } else if (line.startsWith("DKIM-Signature:")) {
                signed++;
            } else if (line.startsWith("X-Bench-Via: ") && via == null) {
                via = line.substring(13).trim();
            } else if (line.startsWith("Subject: bench ") && subject == null) {
                subject = line.substring(15).trim();
                try {
                    key = Integer.parseInt(subject) % 2 == 0 ? "even" : "odd";
                } catch (NumberFormatException e) {
                    key = null;
                }
            }
        }
        StringBuilder ips = new StringBuilder();
        perIp.forEach((ip, count) ->
                ips.append(ips.isEmpty() ? "" : ", ").append(ip).append(" ").append(count));
        String verdict = expected.isEmpty() ? "" : wrong == 0 && unknown == 0 ? "pools OK" : "POOLS VIOLATED";
        int missing = expect > 0 ? Math.max(0, expect - subjects.size()) : 0;
        StringBuilder cluster = new StringBuilder();
        if (!perVia.isEmpty()) {
            cluster.append("; accepted by node ")
                    .append(perVia)
                    .append(", handed over ")
                    .append(handedOver);
        }
        System.out.printf(
                Locale.ROOT,
                "  sink saw %d messages from: %s%s%s%s%s%s%s%n",
                messages,
                ips,
                verdict.isEmpty()
                        ? ""
                        : "; " + verdict + " (" + wrong + " from a wrong IP, " + unknown + " unattributed)",
                subjects.isEmpty() ? "" : "; distinct subjects " + subjects.size(),
                duplicates > 0 ? "; DUPLICATES " + duplicates : "",
                missing > 0 ? "; MISSING " + missing + " of " + expect : "",
                signed > 0 ? "; DKIM-signed " + signed : "",
                cluster);
        if (!verdict.isEmpty() && !o.get("results", "").isEmpty()) {
            Files.writeString(
                    Path.of(o.get("results") + ".verify"),
                    label + "\t" + verdict + "\t" + duplicates
                            + (expect > 0 ? "\t" + missing + "\t" + handedOver + "\t" + messages : "")
                            + "\n",
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        }
    }

    private static String localPart(String address) {
        int at = address.indexOf('@');
        return at < 0 ? address : address.substring(0, at);
    }

    // ---------------------------------------------------------------- report

    /** Medians per label and the ratios, as a markdown table, from the TSV rows measure appended. */
    static void report(Opts o) throws IOException {
        Map<String, List<String[]>> byLabel = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of(o.get("results")))) {
            if (!line.isBlank()) {
                String[] f = line.split("\t");
                byLabel.computeIfAbsent(f[0], k -> new ArrayList<>()).add(f);
            }
        }
        Map<String, String> names = new LinkedHashMap<>();
        names.put("ceiling", "ceiling: smtp-source → smtp-sink");
        names.put("postfix", "Postfix (peer), SMTP in");
        names.put("poolmta-smtp", "PoolMTA, SMTP submission in");
        names.put("poolmta-api", "PoolMTA, SES API SendEmail in");
        names.put("poolmta-template", "PoolMTA, SES API SendEmail with a template in");
        names.put("poolmta-bulk", "PoolMTA, SES API SendBulkEmail (50 a call) in");
        Map<String, Double> median = new LinkedHashMap<>();
        Map<String, Double> medianCpu = new LinkedHashMap<>();
        StringBuilder t = new StringBuilder();
        t.append("| path | runs (msg/s) | median msg/s | vs Postfix | vs ceiling | MTA CPU ms/msg (median) |"
                + " generator CPU ms/msg (median) | smtp-sink CPU ms/msg (median) | retries |\n");
        t.append("|---|---|---:|---:|---:|---:|---:|---:|---:|\n");
        for (String label : byLabel.keySet()) {
            List<Double> rates = new ArrayList<>();
            for (String[] f : byLabel.get(label)) {
                if (f[3].equals("ok")) {
                    rates.add(Double.parseDouble(f[5]));
                }
            }
            median.put(label, median(rates));
        }
        double ceiling = median.getOrDefault("ceiling", Double.NaN);
        double postfix = median.getOrDefault("postfix", Double.NaN);
        for (String label : byLabel.keySet()) {
            List<String> shown = new ArrayList<>();
            List<Double> cpus = new ArrayList<>();
            List<Double> genCpus = new ArrayList<>();
            List<Double> sinkCpus = new ArrayList<>();
            int retries = 0;
            int failed = 0;
            for (String[] f : byLabel.get(label)) {
                shown.add(f[3].equals("ok") ? f[5] : f[3]);
                double perMessage = 1000.0 / Integer.parseInt(f[2]);
                if (!f[9].equals("-")) {
                    cpus.add(Double.parseDouble(f[9]) * perMessage);
                }
                if (!f[10].equals("-")) {
                    genCpus.add(Double.parseDouble(f[10]) * perMessage);
                }
                if (f.length > 12 && !f[12].equals("-")) {
                    sinkCpus.add(Double.parseDouble(f[12]) * perMessage);
                }
                retries += Integer.parseInt(f[7]);
                failed += f[3].equals("ok") ? 0 : 1;
            }
            double m = median.get(label);
            medianCpu.put(label, median(cpus));
            boolean isPostfix = label.equals("postfix");
            boolean isCeiling = label.equals("ceiling");
            t.append("| ")
                    .append(names.getOrDefault(label, label))
                    .append(" | ")
                    .append(String.join(", ", shown))
                    .append(" | **")
                    .append(fmt(m))
                    .append("**")
                    .append(failed > 0 ? " (of " + (shown.size() - failed) + " complete runs)" : "")
                    .append(" | ")
                    .append(isCeiling || isPostfix ? (isPostfix ? "1.00" : "–") : fmt(m / postfix))
                    .append(" | ")
                    .append(isCeiling ? "1.00" : fmt(m / ceiling))
                    .append(" | ")
                    .append(cpus.isEmpty() ? "–" : fmt3(median(cpus)))
                    .append(" | ")
                    .append(genCpus.isEmpty() ? "–" : fmt(median(genCpus)))
                    .append(" | ")
                    .append(sinkCpus.isEmpty() ? "–" : fmt(median(sinkCpus)))
                    .append(" | ")
                    .append(retries)
                    .append(" |\n");
        }
        // paired ratios: each run's PoolMTA rate over the same run's Postfix rate (runs are interleaved)
        Map<String, Double> postfixByRun = new LinkedHashMap<>();
        for (String[] f : byLabel.getOrDefault("postfix", List.of())) {
            if (f[3].equals("ok")) {
                postfixByRun.put(f[1], Double.parseDouble(f[5]));
            }
        }
        for (String label : List.of("poolmta-smtp", "poolmta-api", "poolmta-template", "poolmta-bulk")) {
            List<Double> ratios = new ArrayList<>();
            for (String[] f : byLabel.getOrDefault(label, List.of())) {
                Double p = postfixByRun.get(f[1]);
                if (f[3].equals("ok") && p != null) {
                    ratios.add(Double.parseDouble(f[5]) / p);
                }
            }
            if (!ratios.isEmpty()) {
                t.append(t.charAt(t.length() - 2) == '|' ? "\n" : "")
                        .append("- ")
                        .append(names.get(label))
                        .append(" / Postfix, run by run: ")
                        .append(String.join(
                                ", ", ratios.stream().map(PoolMtaBench::fmt).toList()))
                        .append(" (median ")
                        .append(fmt(median(ratios)))
                        .append(")\n");
            }
        }
        // CPU per message: Postfix's over PoolMTA's medians (how many times less CPU PoolMTA uses per message)
        double postfixCpu = medianCpu.getOrDefault("postfix", Double.NaN);
        for (String label : List.of("poolmta-smtp", "poolmta-api", "poolmta-template", "poolmta-bulk")) {
            double cpu = medianCpu.getOrDefault(label, Double.NaN);
            if (!Double.isNaN(postfixCpu) && !Double.isNaN(cpu) && cpu > 0) {
                t.append("- MTA CPU per message, Postfix / ")
                        .append(names.get(label))
                        .append(": ")
                        .append(fmt3(postfixCpu))
                        .append(" / ")
                        .append(fmt3(cpu))
                        .append(" ms = ")
                        .append(fmt(postfixCpu / cpu))
                        .append("×\n");
            }
        }
        System.out.print(t);
    }

    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(values);
        s.sort(Double::compare);
        int k = s.size();
        return k % 2 == 1 ? s.get(k / 2) : (s.get(k / 2 - 1) + s.get(k / 2)) / 2;
    }
}
