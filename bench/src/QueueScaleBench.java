import io.poolmta.message.Envelope;
import io.poolmta.message.MessageIds;
import io.poolmta.message.TlsPolicy;
import io.poolmta.spool.FileSpool;
import io.poolmta.spool.SpooledMessage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The Java half of bench/queue-scale.sh: puts N accepted messages into a stopped server's spool,
 * as the acceptance path would have left them had the receiver been down while they came in.
 *
 * <pre>
 *   java -cp target/poolmta.jar:DIR QueueScaleBench fill --spool DATA/spool --messages N --account ID
 *        --pool NAME --set NAME --from ADDRESS --to ADDRESS [--body BYTES] [--threads T]
 * </pre>
 *
 * <p>Each message gets a fresh SES-style message id, the envelope fields acceptance would give it
 * (account, configuration set, its pool, accepted now, expiring in 14 h, TLS optional) and an
 * RFC 5322 body of BYTES bytes. It is written with {@link FileSpool#store}, the same call the
 * server's acceptance path makes (encoded, appended, group-committed, fsynced), by T virtual
 * threads. Filling this way takes seconds instead of the quarter hour that a million API calls
 * take; the acceptance path's own speed is what bench/e2e-throughput.sh measures.
 */
public final class QueueScaleBench {
    public static void main(String[] args) throws Exception {
        if (args.length == 0 || !args[0].equals("fill")) {
            System.err.println(
                    "usage: QueueScaleBench fill --spool DIR --messages N --account ID --pool NAME --set NAME"
                            + " --from ADDRESS --to ADDRESS [--body BYTES] [--threads T]");
            System.exit(2);
        }
        Map<String, String> opts = new java.util.HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            opts.put(args[i], args[i + 1]);
        }
        Path spoolDir = Path.of(required(opts, "--spool"));
        long messages = Long.parseLong(required(opts, "--messages"));
        String account = required(opts, "--account");
        String pool = required(opts, "--pool");
        String set = required(opts, "--set");
        String from = required(opts, "--from");
        String to = required(opts, "--to");
        int bodyBytes = Integer.parseInt(opts.getOrDefault("--body", "2048"));
        int threads = Integer.parseInt(opts.getOrDefault("--threads", "512"));

        Clock clock = Clock.systemUTC();
        MessageIds ids = new MessageIds(clock);
        long started = System.nanoTime();
        AtomicLong stored = new AtomicLong();
        try (FileSpool spool = new FileSpool(spoolDir)) {
            int before = spool.recover().size();
            Semaphore inFlight = new Semaphore(threads);
            try (ExecutorService pool2 = Executors.newVirtualThreadPerTaskExecutor()) {
                for (long n = 0; n < messages; n++) {
                    inFlight.acquire();
                    pool2.submit(() -> {
                        try {
                            String id = ids.next();
                            Instant now = clock.instant();
                            Envelope envelope = new Envelope(
                                    id,
                                    account,
                                    Optional.of(set),
                                    pool,
                                    from,
                                    List.of(to),
                                    now,
                                    now.plus(Duration.ofHours(14)),
                                    TlsPolicy.OPTIONAL,
                                    Map.of());
                            spool.store(new SpooledMessage(envelope, content(id, from, to, now, bodyBytes)));
                            long done = stored.incrementAndGet();
                            if (done % 100_000 == 0) {
                                System.err.printf("fill: %,d stored%n", done);
                            }
                        } finally {
                            inFlight.release();
                        }
                        return null;
                    });
                }
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            System.out.printf(
                    "filled %d messages (%d already pending) in %.1f s (%.0f/s); spool holds %d pending%n",
                    stored.get(), before, seconds, stored.get() / seconds, spool.pendingCount());
        }
    }

    private static byte[] content(String id, String from, String to, Instant date, int bodyBytes) {
        StringBuilder text = new StringBuilder(bodyBytes + 400);
        text.append("From: ")
                .append(from)
                .append("\r\nTo: ")
                .append(to)
                .append("\r\nSubject: queue-scale ")
                .append(id)
                .append("\r\nDate: ")
                .append(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        date.atZone(java.time.ZoneOffset.UTC)))
                .append("\r\nMessage-ID: <")
                .append(id)
                .append("@poolmta.bench>\r\nMIME-Version: 1.0\r\n")
                .append("Content-Type: text/plain; charset=us-ascii\r\n\r\n");
        String line = "The quick brown fox jumps over the lazy dog, queued while the receiver was down.\r\n";
        while (text.length() < bodyBytes + 300) {
            text.append(line);
        }
        return text.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static String required(Map<String, String> opts, String name) {
        String value = opts.get(name);
        if (value == null) {
            System.err.println("QueueScaleBench: " + name + " is required");
            System.exit(2);
        }
        return value;
    }
}
