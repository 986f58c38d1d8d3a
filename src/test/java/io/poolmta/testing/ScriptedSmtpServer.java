package io.poolmta.testing;

import static org.awaitility.Awaitility.await;

import io.poolmta.nexthop.NextHop;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * A fake receiving SMTP server for tests, scriptable per behaviour: by default a well-mannered
 * ESMTP receiver that accepts everything; {@link SmtpRule}s make it refuse, defer, drop, stay silent
 * or answer slowly at any {@link SmtpStage}; a seeded {@link SmtpFaultMix} makes it do so at random
 * where no rule applies.
 * <p>
 * Listens on a loopback address (127.0.0.1 by default, random port), serves each connection on its
 * own virtual thread, and records what it saw: per connection the client's source address, EHLO
 * name, TLS and every command ({@link #sessions()}); per accepted message the envelope, the content
 * and the source ({@link #messages()}). A message is recorded before the server replies to the
 * final ".", so once the client has its 250 the record is there. Per recipient of each transaction
 * it also records what it told the client, or that it hung up ({@link #verdicts()}), so a test can
 * work out what the client must conclude. Thread-safe; {@link #close()} ends every connection.
 * <pre>
 * try (ScriptedSmtpServer sink = ScriptedSmtpServer.builder()
 *         .pipelining(false)
 *         .rejectRecipient("nobody@example.com", 550, "5.1.1 no such user")
 *         .rule(SmtpRule.at(SmtpStage.DATA_END).firstTimes(1).reply(451, "4.3.0 try again later"))
 *         .start()) {
 *     ... deliver to sink.nextHop() ...
 *     List&lt;ReceivedMessage&gt; got = sink.awaitMessages(1, Duration.ofSeconds(5));
 * }
 * </pre>
 */
public final class ScriptedSmtpServer implements AutoCloseable {
    /** Advertise no SIZE extension at all. */
    public static final long NO_SIZE = -1;

    /**
     * The server's fixed behaviour, set by the {@link Builder}.
     *
     * @param sizeLimit {@link #NO_SIZE}: SIZE not offered; 0: offered without a limit; more: offered
     *     and enforced at MAIL FROM (552)
     */
    record Options(
            String bindAddress,
            String hostname,
            boolean ehlo,
            boolean pipelining,
            boolean startTls,
            boolean eightBitMime,
            long sizeLimit,
            Duration replyDelay,
            List<SmtpRule> rules,
            Optional<SmtpFaultMix> faults) {}

    /** A rule and how many uses it has left ({@link SmtpRule#ALWAYS}: unlimited). */
    private record ArmedRule(SmtpRule rule, AtomicInteger usesLeft) {
        boolean tryUse() {
            if (rule.times() == SmtpRule.ALWAYS) {
                return true;
            }
            return usesLeft.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
        }
    }

    private final Options options;
    private final List<ArmedRule> rules;
    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Set<Socket> clients = ConcurrentHashMap.newKeySet();
    private final List<ScriptedSmtpSession> sessions = new CopyOnWriteArrayList<>();
    private final List<ReceivedMessage> messages = new CopyOnWriteArrayList<>();
    private final List<RecipientVerdict> verdicts = new CopyOnWriteArrayList<>();
    private final AtomicLong verdictNumbers = new AtomicLong();
    private final AtomicInteger sessionIds = new AtomicInteger();
    private volatile boolean closed;

    private ScriptedSmtpServer(Options options) throws IOException {
        this.options = options;
        this.rules = options.rules().stream()
                .map(r -> new ArmedRule(r, new AtomicInteger(r.times())))
                .toList();
        this.listener = new ServerSocket();
        listener.bind(new InetSocketAddress(InetAddress.getByName(options.bindAddress()), 0));
        threads.execute(this::acceptLoop);
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A server with the default behaviour: accepts everything, offers PIPELINING, 8BITMIME, SIZE. */
    public static ScriptedSmtpServer acceptingAll() {
        return builder().start();
    }

    public String address() {
        return options.bindAddress();
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Where a client should deliver to reach this server. */
    public NextHop nextHop() {
        return new NextHop(address(), port());
    }

    /** Messages accepted so far, in order of acceptance. */
    public List<ReceivedMessage> messages() {
        return List.copyOf(messages);
    }

    /** What the server told clients about each recipient of each transaction so far, in order. */
    public List<RecipientVerdict> verdicts() {
        return List.copyOf(verdicts);
    }

    /** Connections so far, in order of acceptance. */
    public List<SmtpSessionRecord> sessions() {
        return sessions.stream().map(ScriptedSmtpSession::record).toList();
    }

    /** Waits until at least {@code count} messages were accepted; returns all of them. */
    public List<ReceivedMessage> awaitMessages(int count, Duration timeout) {
        waitUntil(timeout, () -> messages.size() >= count);
        return messages();
    }

    /** Waits until at least {@code count} connections were accepted; returns all of them. */
    public List<SmtpSessionRecord> awaitSessions(int count, Duration timeout) {
        waitUntil(timeout, () -> sessions.size() >= count);
        return sessions();
    }

    /** Waits until every connection so far has ended (the client quit or hung up); returns them. */
    public List<SmtpSessionRecord> awaitAllSessionsClosed(Duration timeout) {
        waitUntil(timeout, () -> sessions().stream().noneMatch(SmtpSessionRecord::open));
        return sessions();
    }

    private static void waitUntil(Duration timeout, Callable<Boolean> condition) {
        await().pollDelay(Duration.ZERO)
                .pollInterval(Duration.ofMillis(10))
                .atMost(timeout)
                .until(condition);
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        for (Socket client : clients) {
            closeQuietly(client);
        }
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Options options() {
        return options;
    }

    SSLContext tlsContext() {
        return SelfSignedTls.serverContext();
    }

    boolean isClosed() {
        return closed;
    }

    /**
     * The script's action at this point (after waiting its delay and the server's reply delay): the
     * first rule that applies, else the fault mix's draw for {@code subject}, else proceed.
     */
    SmtpRule.Action decide(SmtpStage stage, String argument, String subject) throws InterruptedException {
        for (ArmedRule armed : rules) {
            if (armed.rule().matches(stage, argument) && armed.tryUse()) {
                pause(armed.rule().delay().plus(options.replyDelay()));
                return armed.rule().action();
            }
        }
        Optional<SmtpRule> fault = options.faults().flatMap(f -> f.draw(stage, subject));
        pause(fault.map(SmtpRule::delay).orElse(Duration.ZERO).plus(options.replyDelay()));
        return fault.map(SmtpRule::action).orElse(new SmtpRule.Proceed());
    }

    /** Records a verdict about one recipient. */
    void verdict(int sessionId, String recipient, SmtpStage stage, RecipientVerdict.Kind kind, int code) {
        synchronized (verdicts) {
            verdicts.add(
                    new RecipientVerdict(verdictNumbers.incrementAndGet(), sessionId, recipient, stage, kind, code));
        }
    }

    /** Records an accepted message; returns its number, from 1. */
    int accepted(ReceivedMessage message) {
        synchronized (messages) {
            messages.add(message);
            return messages.size();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
                client.setTcpNoDelay(true); // replies to pipelined commands must not wait for delayed ACKs
            } catch (IOException e) {
                return;
            }
            clients.add(client);
            ScriptedSmtpSession session = new ScriptedSmtpSession(this, client, sessionIds.incrementAndGet());
            sessions.add(session);
            try {
                threads.execute(() -> {
                    try {
                        session.run();
                    } finally {
                        clients.remove(client);
                        closeQuietly(client);
                    }
                });
            } catch (RuntimeException e) {
                closeQuietly(client);
                return;
            }
        }
    }

    private static void pause(Duration duration) throws InterruptedException {
        if (!duration.isZero()) {
            Thread.sleep(duration);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to do
        }
    }

    /** Sets up a server; {@link #start()} binds it. Defaults: as {@link ScriptedSmtpServer#acceptingAll()}. */
    public static final class Builder {
        private String bindAddress = "127.0.0.1";
        private String hostname = "sink.test";
        private boolean ehlo = true;
        private boolean pipelining = true;
        private boolean startTls;
        private boolean eightBitMime = true;
        private long sizeLimit;
        private Duration replyDelay = Duration.ZERO;
        private final List<SmtpRule> rules = new ArrayList<>();
        private Optional<SmtpFaultMix> faults = Optional.empty();

        private Builder() {}

        /** The loopback address to listen on (127.0.0.0/8 only). Default 127.0.0.1. */
        public Builder bindAddress(String address) {
            if (!address.startsWith("127.")) {
                throw new IllegalArgumentException("tests listen on loopback only: " + address);
            }
            this.bindAddress = address;
            return this;
        }

        /** The name in the greeting and EHLO reply. Default "sink.test". */
        public Builder hostname(String name) {
            this.hostname = Objects.requireNonNull(name);
            return this;
        }

        /** false: answer EHLO with 502 so the client must fall back to HELO. Default true. */
        public Builder ehlo(boolean offered) {
            this.ehlo = offered;
            return this;
        }

        /** Offer PIPELINING. Default true. */
        public Builder pipelining(boolean offered) {
            this.pipelining = offered;
            return this;
        }

        /** Offer STARTTLS with a self-signed certificate made at test time. Default false. */
        public Builder startTls(boolean offered) {
            this.startTls = offered;
            return this;
        }

        /** Offer 8BITMIME. Default true. */
        public Builder eightBitMime(boolean offered) {
            this.eightBitMime = offered;
            return this;
        }

        /** {@link #NO_SIZE}: no SIZE extension; 0: SIZE without a limit (default); more: enforced limit. */
        public Builder sizeLimit(long bytes) {
            if (bytes < NO_SIZE) {
                throw new IllegalArgumentException("size limit: " + bytes);
            }
            this.sizeLimit = bytes;
            return this;
        }

        /** Wait this long before every reply, the greeting included. Default none. */
        public Builder replyDelay(Duration delay) {
            this.replyDelay = Objects.requireNonNull(delay);
            return this;
        }

        /** Adds a rule; rules are consulted in the order added. */
        public Builder rule(SmtpRule rule) {
            rules.add(Objects.requireNonNull(rule));
            return this;
        }

        /** Fault at random, as the mix says, wherever no rule applies. Default: never. */
        public Builder faults(SmtpFaultMix mix) {
            this.faults = Optional.of(mix);
            return this;
        }

        /** Greet with this code instead of 220 (e.g. 554: "no service here"). */
        public Builder greeting(int code, String text) {
            return rule(SmtpRule.at(SmtpStage.GREETING).reply(code, text));
        }

        /** Accept TCP connections and never greet. */
        public Builder silentGreeting() {
            return rule(SmtpRule.at(SmtpStage.GREETING).silence());
        }

        /** Answer RCPT TO for this recipient with the given reply, every time. */
        public Builder rejectRecipient(String recipient, int code, String text) {
            return rule(SmtpRule.at(SmtpStage.RCPT).matching(recipient).reply(code, text));
        }

        /** Answer every command of this stage with the given reply. */
        public Builder replyAt(SmtpStage stage, int code, String text) {
            return rule(SmtpRule.at(stage).reply(code, text));
        }

        /** Close the connection, without a reply, at every command of this stage. */
        public Builder dropAt(SmtpStage stage) {
            return rule(SmtpRule.at(stage).drop());
        }

        /** Binds and starts serving. */
        public ScriptedSmtpServer start() {
            try {
                return new ScriptedSmtpServer(new Options(
                        bindAddress,
                        hostname,
                        ehlo,
                        pipelining,
                        startTls,
                        eightBitMime,
                        sizeLimit,
                        replyDelay,
                        List.copyOf(rules),
                        faults));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot listen on " + bindAddress, e);
            }
        }
    }
}
