package io.poolmta.feedback;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.subethamail.smtp.server.SMTPServer;
import org.subethamail.smtp.server.Session;
import org.subethamail.smtp.server.SessionHandler;

/**
 * The feedback listener: an inbound SMTP server (SubEthaSMTP underneath, no AUTH, no relaying)
 * where mailbox providers send bounce reports and complaints to the return paths of PoolMTA's
 * mail ({@link FeedbackTransaction} says which recipients it takes). Bounded: at most
 * {@code maxConnections} sessions and {@code maxConnectionsPerAddress} per client (421 4.7.0
 * beyond), an idle timeout, the report size limit. {@link #start} returns once the port is bound;
 * {@link #close()} stops it and is safe to call twice.
 */
public final class FeedbackServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FeedbackServer.class);

    private final SMTPServer smtp;
    private final InetSocketAddress address;
    private boolean closed;

    private FeedbackServer(SMTPServer smtp, InetSocketAddress address) {
        this.smtp = smtp;
        this.address = address;
    }

    public static FeedbackServer start(
            FeedbackSettings settings, SentLedger ledger, FeedbackIdentities identities, FeedbackProcessor processor)
            throws IOException {
        ExecutorService sessions = Executors.newThreadPerTaskExecutor(
                Thread.ofVirtual().name("feedback-session-", 0).factory());
        SMTPServer smtp = SMTPServer.port(settings.port())
                .bindAddress(InetAddress.getByName(settings.host()))
                .hostName(settings.hostName())
                .softwareName("PoolMTA feedback")
                .messageHandlerFactory(context -> new FeedbackTransaction(settings, ledger, identities, processor))
                .insertReceivedHeaders(false)
                .maxMessageSize(settings.maxReportBytes())
                .maxRecipients(-1) // FeedbackTransaction answers 452 4.5.3 beyond its limit
                .maxConnections(settings.maxConnections() + 64)
                .sessionHandler(new Limits(settings.maxConnections(), settings.maxConnectionsPerAddress()))
                .connectionTimeoutMs((int) settings.idleTimeout().toMillis())
                .executorService(sessions)
                .serverThreadName("feedback-" + settings.host() + ":" + settings.port())
                .build();
        try {
            smtp.start();
        } catch (RuntimeException e) {
            sessions.shutdownNow();
            throw new IOException(
                    "cannot listen for feedback on " + settings.host() + ":" + settings.port() + ": "
                            + (e.getCause() != null ? e.getCause().getMessage() : e.getMessage()),
                    e);
        }
        InetSocketAddress bound = new InetSocketAddress(smtp.getBindAddress().orElseThrow(), smtp.getPortAllocated());
        LOG.info(
                "feedback listener on {}:{} for return paths on {}",
                bound.getAddress().getHostAddress(),
                bound.getPort(),
                settings.bounceDomain());
        return new FeedbackServer(smtp, bound);
    }

    public InetSocketAddress address() {
        return address;
    }

    /** "127.0.0.1:2526". */
    public String hostPort() {
        return address.getAddress().getHostAddress() + ":" + address.getPort();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        smtp.stop();
    }

    /** At most {@code max} sessions, {@code perAddress} from one client address; 421 4.7.0 beyond. */
    static final class Limits implements SessionHandler {
        private final int max;
        private final int perAddress;
        private final Map<InetAddress, Integer> byAddress = new HashMap<>();
        private int total;

        Limits(int max, int perAddress) {
            this.max = max;
            this.perAddress = perAddress;
        }

        @Override
        public synchronized SessionAcceptance accept(Session session) {
            InetAddress client = session.getSocket().getInetAddress();
            int fromClient = byAddress.getOrDefault(client, 0);
            if (total >= max || fromClient >= perAddress) {
                return SessionAcceptance.failure(421, "4.7.0 Too many connections, try again later");
            }
            byAddress.put(client, fromClient + 1);
            total++;
            return SessionAcceptance.success();
        }

        @Override
        public synchronized void onSessionEnd(Session session) {
            byAddress.computeIfPresent(session.getSocket().getInetAddress(), (a, n) -> n > 1 ? n - 1 : null);
            total--;
        }
    }
}
