package io.poolmta.sim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The simulator's side of a {@link FeedbackLoop}: draws, per accepted recipient, whether it
 * bounces later or complains, writes the report (a DSN or an ARF message, as the providers do) and
 * sends it by SMTP from one virtual thread, in order. At most {@value #MAX_QUEUED} reports wait;
 * beyond that they are dropped and counted. Only loopback addresses are connected to.
 */
final class ReportSender implements AutoCloseable {
    static final int MAX_QUEUED = 10_000;
    private static final DateTimeFormatter DATE = DateTimeFormatter.RFC_1123_DATE_TIME;

    private record Report(String to, byte[] content, long notBeforeNanos) {}

    private final FeedbackLoop loop;
    private final String name;
    private final Clock clock;
    private final Random random;
    private final BlockingQueue<Report> queue = new ArrayBlockingQueue<>(MAX_QUEUED);
    private final AtomicLong bounces = new AtomicLong();
    private final AtomicLong complaints = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong boundaries = new AtomicLong();
    private final Thread worker;
    private volatile String lastReply = "";
    private volatile boolean closed;

    ReportSender(FeedbackLoop loop, String name, Clock clock) throws IOException {
        if (!InetAddress.getByName(loop.host()).isLoopbackAddress()) {
            throw new IllegalArgumentException("the simulator only reports to loopback, not " + loop.host());
        }
        this.loop = loop;
        this.name = name;
        this.clock = clock;
        this.random = new Random(loop.seed());
        this.worker = Thread.ofVirtual().name("sim-" + name + "-reports").start(this::run);
    }

    /** Draws the fate of each recipient of an accepted message and queues its reports. */
    void accepted(ReceivedMail mail) {
        String returnPath = loop.returnPath().apply(mail).orElse(null);
        for (String rcpt : mail.recipients()) {
            double draw;
            synchronized (random) {
                draw = random.nextDouble();
            }
            if (returnPath == null) {
                continue;
            }
            if (draw < loop.bounceRate()) {
                bounces.incrementAndGet();
                offer(new Report(returnPath, dsn(mail, rcpt, returnPath), due()));
            } else if (draw < loop.bounceRate() + loop.complaintRate()) {
                complaints.incrementAndGet();
                offer(new Report(returnPath, arf(mail, rcpt, returnPath), due()));
            }
        }
    }

    private long due() {
        return System.nanoTime() + loop.delay().toNanos();
    }

    private void offer(Report report) {
        if (!queue.offer(report)) {
            dropped.incrementAndGet();
        }
    }

    long bounces() {
        return bounces.get();
    }

    long complaints() {
        return complaints.get();
    }

    long sent() {
        return sent.get();
    }

    long failed() {
        return failed.get() + dropped.get();
    }

    String lastReply() {
        return lastReply;
    }

    /** Reports drawn but not yet sent (or failed). */
    long pending() {
        return bounces.get() + complaints.get() - sent.get() - failed.get() - dropped.get();
    }

    private void run() {
        while (!closed) {
            Report report;
            try {
                report = queue.take();
                long wait = report.notBeforeNanos() - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(Duration.ofNanos(wait));
                }
            } catch (InterruptedException e) {
                return;
            }
            try {
                String reply = send(report);
                lastReply = reply;
                (reply.startsWith("250") ? sent : failed).incrementAndGet();
            } catch (IOException e) {
                lastReply = e.toString();
                failed.incrementAndGet();
            }
        }
    }

    private String send(Report report) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(loop.host(), loop.port()), 5_000);
            socket.setSoTimeout(30_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            String reply = reply(in);
            for (String command :
                    new String[] {"EHLO " + name + ".sim", "MAIL FROM:<>", "RCPT TO:<" + report.to() + ">", "DATA"}) {
                if (!reply.startsWith("2") && !reply.startsWith("3")) {
                    return reply;
                }
                out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                reply = reply(in);
            }
            if (!reply.startsWith("354")) {
                return reply;
            }
            String text = new String(report.content(), StandardCharsets.UTF_8).replace("\r\n.", "\r\n..");
            out.write(text.getBytes(StandardCharsets.UTF_8));
            out.write(".\r\nQUIT\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return reply(in);
        }
    }

    private static String reply(InputStream in) throws IOException {
        while (true) {
            StringBuilder line = new StringBuilder();
            int b;
            while ((b = in.read()) != -1 && b != '\n') {
                if (b != '\r' && line.length() < 1000) {
                    line.append((char) b);
                }
            }
            if (b == -1) {
                throw new IOException("connection closed after '" + line + "'");
            }
            if (line.length() < 4 || line.charAt(3) != '-') {
                return line.toString();
            }
        }
    }

    private String header(String subject, String to, String contentType) {
        return "From: Mail Delivery Subsystem <mailer-daemon@" + name + ".sim>\r\n"
                + "To: " + to + "\r\n"
                + "Subject: " + subject + "\r\n"
                + "Date: " + DATE.format(clock.instant().atOffset(ZoneOffset.UTC)) + "\r\n"
                + "Auto-Submitted: auto-replied\r\n"
                + "MIME-Version: 1.0\r\n"
                + "Content-Type: " + contentType + "\r\n\r\n";
    }

    private byte[] dsn(ReceivedMail mail, String rcpt, String to) {
        String boundary = "dsn-" + boundaries.incrementAndGet();
        String reply = loop.bounceReply();
        String status = reply.matches("^\\d{3}[ -][245]\\.\\d{1,3}\\.\\d{1,3}.*")
                ? reply.substring(4).split(" ", 2)[0]
                : (reply.startsWith("4") ? "4.0.0" : "5.0.0");
        String text = header(
                        "Delivery Status Notification (Failure)",
                        to,
                        "multipart/report; report-type=delivery-status; boundary=\"" + boundary + "\"")
                + "--" + boundary + "\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
                + "Your message wasn't delivered to " + rcpt + ".\r\n\r\n"
                + "--" + boundary + "\r\nContent-Type: message/delivery-status\r\n\r\n"
                + "Reporting-MTA: dns; " + name + ".sim\r\n"
                + "Arrival-Date: " + DATE.format(mail.receivedAt().atOffset(ZoneOffset.UTC)) + "\r\n\r\n"
                + "Final-Recipient: rfc822; " + rcpt + "\r\n"
                + "Action: failed\r\n"
                + "Status: " + status + "\r\n"
                + "Diagnostic-Code: smtp; " + reply + "\r\n\r\n"
                + "--" + boundary + "\r\nContent-Type: text/rfc822-headers\r\n\r\n"
                + mail.headers()
                + "\r\n--" + boundary + "--\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private byte[] arf(ReceivedMail mail, String rcpt, String to) {
        String boundary = "arf-" + boundaries.incrementAndGet();
        String text = header(
                        "Email abuse report",
                        to,
                        "multipart/report; report-type=feedback-report; boundary=\"" + boundary + "\"")
                + "--" + boundary + "\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n"
                + "This is an email abuse report for a message received from IP " + mail.sourceIp() + ".\r\n\r\n"
                + "--" + boundary + "\r\nContent-Type: message/feedback-report\r\n\r\n"
                + "Feedback-Type: abuse\r\n"
                + "User-Agent: PoolMTA-Simulator/1.0 (" + name + ")\r\n"
                + "Version: 1\r\n"
                + "Original-Mail-From: <" + mail.mailFrom() + ">\r\n"
                + "Original-Rcpt-To: <" + rcpt + ">\r\n"
                + "Arrival-Date: " + DATE.format(mail.receivedAt().atOffset(ZoneOffset.UTC)) + "\r\n"
                + "Source-IP: " + mail.sourceIp() + "\r\n\r\n"
                + "--" + boundary + "\r\nContent-Type: text/rfc822-headers\r\n\r\n"
                + mail.headers()
                + "\r\n--" + boundary + "--\r\n";
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        closed = true;
        worker.interrupt();
    }
}
