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
 * Once the connection breaks (lost, timed out, 421) every remaining message gets the reply that
 * says why, without being tried. Never throws for network or protocol failures.
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

    /** Exactly one result per message, in order. */
    List<DeliveryResult> deliver(List<OutboundMessage> batch) {
        List<DeliveryResult> results = new ArrayList<>(batch.size());
        for (OutboundMessage message : batch) {
            if (needsReset && broken.isEmpty()) {
                reset();
            }
            List<RecipientResult> recipients;
            if (broken.isPresent()) {
                recipients = SmtpClient.everyRecipient(message, broken.get());
            } else {
                MailTransaction.Outcome outcome = new MailTransaction(connection, capabilities, settings, message).run();
                recipients = outcome.recipients();
                needsReset = outcome.needsReset();
                broken = outcome.broken();
            }
            DeliveryResult result = new DeliveryResult(message.messageId(), Optional.of(remoteAddress()), tls(), recipients);
            listener.messageDone(source, result);
            results.add(result);
        }
        return results;
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
