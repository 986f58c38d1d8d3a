package io.poolmta.delivery.smtp;

import io.poolmta.egress.SourceAddress;
import io.poolmta.message.TlsPolicy;
import io.poolmta.nexthop.NextHop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLSocketFactory;

/**
 * PoolMTA's outbound SMTP client: the {@link SmtpTransport} over plain {@code java.net} sockets,
 * one connection per call (kept for as long as the caller has more messages for it), bound to the
 * source IP.
 * <p>
 * Immutable and thread-safe once built (OkHttp's client shape): build one with its settings and
 * share it; every call to {@link #deliver} opens its own connection. The contract is
 * {@link SmtpTransport}'s: exactly one result per message, in order, and no exception for network
 * or protocol failures: a message that could not be completed gets a 4xx reply per recipient whose
 * text says what happened ("421 4.4.2 connection lost during DATA"); the messages after it are not
 * attempted. When no host takes the session, the first message carries the failure.
 */
public final class SmtpClient implements SmtpTransport {
    /**
     * A further round on a connection that sat idle longer than this starts with RSET, so a
     * connection the server closed meanwhile leaves the round not attempted; a round whose messages
     * were waiting already goes straight on (no extra round trip per round under load).
     */
    public static final Duration IDLE_BEFORE_RESET = Duration.ofMillis(100);

    private final SmtpClientSettings settings;
    private final SmtpClientListener listener;
    private final SSLSocketFactory tlsFactory;

    public SmtpClient(SmtpClientSettings settings) {
        this(settings, SmtpClientListener.NONE);
    }

    public SmtpClient(SmtpClientSettings settings, SmtpClientListener listener) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.tlsFactory = OpportunisticTls.socketFactory();
    }

    public SmtpClientSettings settings() {
        return settings;
    }

    @Override
    public List<DeliveryResult> deliver(
            SourceAddress source,
            List<NextHop> hosts,
            TlsPolicy tls,
            List<OutboundMessage> batch,
            Supplier<List<OutboundMessage>> more,
            Consumer<DeliveryResult> eachResult) {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(hosts, "hosts");
        Objects.requireNonNull(tls, "tls");
        Objects.requireNonNull(more, "more");
        Objects.requireNonNull(eachResult, "eachResult");
        if (batch.isEmpty()) {
            return List.of();
        }
        SmtpClientListener listener = new CallListener(this.listener, eachResult);
        return switch (new SmtpConnector(settings, tlsFactory, listener).connect(source, hosts, tls)) {
            case SmtpConnector.Ready ready -> {
                try (SmtpSession session = ready.session()) {
                    List<DeliveryResult> results = new ArrayList<>(session.deliver(batch));
                    while (session.healthy()) {
                        long asked = System.nanoTime();
                        List<OutboundMessage> next = more.get();
                        if (next.isEmpty()) {
                            break;
                        }
                        if (System.nanoTime() - asked > IDLE_BEFORE_RESET.toNanos()) {
                            session.resetBeforeNextRound();
                        }
                        results.addAll(session.deliver(next));
                    }
                    yield results;
                }
            }
            case SmtpConnector.Unreachable unreachable -> {
                // the first message was the one to go: it carries the failure; the others were never tried
                List<DeliveryResult> results = new ArrayList<>(batch.size());
                for (OutboundMessage message : batch) {
                    DeliveryResult result = results.isEmpty()
                            ? new DeliveryResult(
                                    message.messageId(),
                                    Optional.empty(),
                                    false,
                                    everyRecipient(message, unreachable.reply()))
                            : DeliveryResult.notAttempted(message.messageId());
                    listener.messageDone(source, result);
                    results.add(result);
                }
                yield results;
            }
        };
    }

    /** The client's listener, and the caller's consumer of this call's results. */
    private record CallListener(SmtpClientListener listener, Consumer<DeliveryResult> eachResult)
            implements SmtpClientListener {
        @Override
        public void hostFailed(SourceAddress source, String host, SmtpReply reason) {
            listener.hostFailed(source, host, reason);
        }

        @Override
        public void connected(SourceAddress source, String remoteAddress, boolean tls) {
            listener.connected(source, remoteAddress, tls);
        }

        @Override
        public void messageDone(SourceAddress source, DeliveryResult result) {
            listener.messageDone(source, result);
            eachResult.accept(result);
        }
    }

    /** The same reply for every recipient of the message. */
    static List<RecipientResult> everyRecipient(OutboundMessage message, SmtpReply reply) {
        return message.recipients().stream()
                .map(recipient -> new RecipientResult(recipient, reply))
                .toList();
    }
}
