package io.poolmta.delivery;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A connection that is ready for mail (greeted, EHLO said, TLS settled): sends a batch of messages
 * one transaction after another, RSET between them only when the last one left state behind, and
 * QUIT at the end while the connection is healthy.
 * <p>
 * Once the connection breaks (lost, timed out, 421) the message whose transaction it broke keeps
 * that failure as its result, and every remaining message is {@link DeliveryResult#notAttempted not
 * attempted}: it never reached the server, so no reply is made up for it. A break on the RSET
 * between two transactions leaves the next message not attempted. Never throws for network or
 * protocol failures.
 */
final class SmtpSession implements AutoCloseable {
    private final SmtpConnection connection;
    private final EhloCapabilities capabilities;
    private final SmtpClientSettings settings;
    private final SmtpClientListener listener;
    private final SourceAddress source;
    private boolean needsReset;
    private Optional<SmtpReply> broken = Optional.empty();

    SmtpSession(SmtpConnection connection, EhloCapabilities capabilities, SmtpClientSettings settings,
            SmtpClientListener listener, SourceAddress source) {
        this.connection = connection;
        this.capabilities = capabilities;
        this.settings = settings;
        this.listener = listener;
        this.source = source;
    }

    String remoteAddress() {
        return connection.remoteAddress();
    }

    boolean tls() {
        return connection.tls();
    }

    /** Exactly one result per message, in order; those after a break are not attempted. */
    List<DeliveryResult> deliver(List<OutboundMessage> batch) {
        List<DeliveryResult> results = new ArrayList<>(batch.size());
        for (OutboundMessage message : batch) {
            if (needsReset && broken.isEmpty()) {
                reset();
            }
            DeliveryResult result;
            if (broken.isPresent()) {
                result = DeliveryResult.notAttempted(message.messageId());
            } else {
                MailTransaction.Outcome outcome = new MailTransaction(connection, capabilities, settings, message).run();
                needsReset = outcome.needsReset();
                broken = outcome.broken();
                result = new DeliveryResult(message.messageId(), Optional.of(remoteAddress()), tls(), outcome.recipients());
            }
            listener.messageDone(source, result);
            results.add(result);
        }
        return results;
    }

    /** True until the connection broke. */
    boolean healthy() {
        return broken.isEmpty();
    }

    /**
     * Makes the next {@link #deliver} start with RSET: a connection reused after a wait may have
     * been closed by the server meanwhile, which must leave the next message not attempted.
     */
    void resetBeforeNextRound() {
        needsReset = true;
    }

    /** QUIT politely if the connection is still healthy, then close it. */
    @Override
    public void close() {
        if (broken.isEmpty()) {
            quit(connection, settings);
        }
        connection.close();
    }

    private void reset() {
        try {
            connection.send("RSET");
            ServerReply reply = connection.readReply(settings.commandTimeout());
            if (!reply.completion()) {
                broken = Optional.of(reply.code() == 421 ? reply.toSmtpReply()
                        : new SmtpReply(Phase.MADE_UP_CODE, "4.5.0 server refused RSET: " + reply));
            }
            needsReset = false;
        } catch (IOException e) {
            broken = Optional.of(Phase.RSET.failure(e, settings.commandTimeout()));
        }
    }

    /** Sends QUIT and waits for its reply; a failure here changes nothing, so it is ignored. */
    static void quit(SmtpConnection connection, SmtpClientSettings settings) {
        try {
            connection.send("QUIT");
            connection.readReply(settings.commandTimeout());
        } catch (IOException e) {
            // the mail is settled either way
        }
    }
}
