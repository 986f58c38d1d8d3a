package io.poolmta.delivery.smtp;

import io.poolmta.egress.SourceAddress;
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

    SmtpSession(
            SmtpConnection connection,
            EhloCapabilities capabilities,
            SmtpClientSettings settings,
            SmtpClientListener listener,
            SourceAddress source) {
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

    /**
     * Exactly one result per message, in order; those after a break are not attempted. With
     * PIPELINING every message but the last leaves its content held for the next one's first write
     * (see {@link MailTransaction}), and its result is reported as soon as its end-of-data reply is
     * read, before the next message's.
     */
    List<DeliveryResult> deliver(List<OutboundMessage> batch) {
        List<DeliveryResult> results = new ArrayList<>(batch.size());
        MailTransaction.HeldEnd held = null;
        for (int m = 0; m < batch.size(); m++) {
            OutboundMessage message = batch.get(m);
            if (needsReset && broken.isEmpty()) {
                reset();
            }
            if (broken.isPresent()) {
                report(results, DeliveryResult.notAttempted(message.messageId()));
                continue;
            }
            MailTransaction transaction = new MailTransaction(connection, capabilities, settings, message);
            MailTransaction.Outcome outcome = transaction.run(held, m + 1 < batch.size());
            held = null; // finished by run, whatever happened
            if (outcome.awaitingEnd()) {
                String messageId = message.messageId();
                held = () -> finishHeld(transaction, messageId, results);
            } else if (!outcome.attempted()) {
                report(results, DeliveryResult.notAttempted(message.messageId()));
            } else {
                needsReset = outcome.needsReset();
                broken = outcome.broken().or(() -> broken);
                report(
                        results,
                        new DeliveryResult(
                                message.messageId(), Optional.of(remoteAddress()), tls(), outcome.recipients()));
            }
        }
        if (held != null) {
            held.finish();
        }
        return results;
    }

    private void report(List<DeliveryResult> results, DeliveryResult result) {
        listener.messageDone(source, result);
        results.add(result);
    }

    /** Reads a held transaction's end-of-data reply and reports its result; false when the connection broke. */
    private boolean finishHeld(MailTransaction transaction, String messageId, List<DeliveryResult> results) {
        MailTransaction.Outcome outcome = transaction.finish();
        broken = outcome.broken().or(() -> broken);
        report(results, new DeliveryResult(messageId, Optional.of(remoteAddress()), tls(), outcome.recipients()));
        return outcome.broken().isEmpty();
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
        connection.discardHeld(); // only after an unexpected error: never send content whose reply nobody reads
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
                broken = Optional.of(
                        reply.code() == 421
                                ? reply.toSmtpReply()
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
