package io.poolmta.delivery.smtp;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One mail transaction for one message on a ready session: MAIL FROM, one RCPT TO per recipient,
 * DATA and the dot-stuffed content. With PIPELINING, MAIL, every RCPT and DATA leave in one write
 * (up to {@link #PIPELINE_WINDOW} commands) and the replies are read in order (RFC 2920); without
 * it, one command at a time.
 * <p>
 * Results, one per recipient, in order: a RCPT refusal is that recipient's result; MAIL refused →
 * every recipient gets that reply; the reply to DATA (if refused) or to the final "." applies to
 * every accepted recipient. When no recipient is accepted DATA is not sent (or, if already
 * pipelined and refused, nothing more is), and the session must RSET before the next transaction.
 * <p>
 * Never throws for network or protocol failures: a 421 reply or a lost connection ends the
 * transaction with that reply (or a made-up 4xx saying what happened) for every recipient still
 * without an answer, and marks the session broken. Definite refusals already heard are kept.
 * <p>
 * Across transactions (PIPELINING only): a transaction told to {@code holdEnd} does not send its
 * content and wait for the reply to the final "."; it leaves the content {@linkplain
 * SmtpConnection#hold held} on the connection and returns {@linkplain Outcome#awaitingEnd awaiting
 * its end}. The next transaction's first write then carries that content followed by its own MAIL,
 * RCPT and DATA (RFC 2920 §3.1: the content may start a group), it has the held transaction
 * {@linkplain #finish() read its end-of-data reply} before reading its own, and so each message
 * costs one round trip instead of two. If that reply shows the connection gone, the next
 * transaction is {@linkplain Outcome#attempted not attempted}: the server never got its content.
 */
final class MailTransaction {
    /**
     * @param recipients one result per recipient of the message, in order
     * @param needsReset the server may still hold transaction state: send RSET before the next MAIL
     * @param broken set when the connection can no longer be used, with the reply that says why
     */
    record Outcome(
            List<RecipientResult> recipients,
            boolean needsReset,
            Optional<SmtpReply> broken,
            boolean awaitingEnd,
            boolean attempted) {}

    /**
     * The transaction before this one, whose content is held on the connection and whose reply to
     * the final "." is still to be read.
     */
    interface HeldEnd {
        /**
         * Reads that reply and settles that transaction (after sending the held content, if no write
         * has carried it yet); false when the connection can no longer be used.
         */
        boolean finish();
    }

    /** The transaction before this one found the connection gone after this one's first write. */
    private static final class PreviousBroke extends Exception {
        PreviousBroke() {
            super(null, null, false, false);
        }
    }

    /** The server said 421: it is closing the connection. */
    private static final class ServiceClosing extends Exception {
        private final transient SmtpReply reply;

        ServiceClosing(SmtpReply reply) {
            super(reply.toString(), null, false, false);
            this.reply = reply;
        }
    }

    /**
     * At most this many commands leave in one write before their replies are read, so that neither
     * side's socket buffer can fill up while the other is still writing (a message with thousands
     * of recipients is pipelined in rounds).
     */
    static final int PIPELINE_WINDOW = 100;

    private final SmtpConnection connection;
    private final EhloCapabilities capabilities;
    private final SmtpClientSettings settings;
    private final OutboundMessage message;
    private final String server;
    private final SmtpReply[] replies;
    private final boolean[] accepted;
    private final List<Integer> sendable = new ArrayList<>();
    private Phase phase = Phase.MAIL;
    private boolean needsReset;
    private HeldEnd before;
    private boolean holdEnd;
    private boolean awaitingEnd;

    MailTransaction(
            SmtpConnection connection,
            EhloCapabilities capabilities,
            SmtpClientSettings settings,
            OutboundMessage message) {
        this.connection = connection;
        this.capabilities = capabilities;
        this.settings = settings;
        this.message = message;
        this.server = connection.remoteAddress();
        this.replies = new SmtpReply[message.recipients().size()];
        this.accepted = new boolean[replies.length];
    }

    /**
     * @param before the previous transaction, awaiting its end (or null): its held content goes out
     *     with this transaction's first write, and its reply is read before this one's; it is
     *     finished when this returns, whatever happened
     * @param holdEnd whether this transaction may leave its content held, awaiting its end (only
     *     when another transaction follows on this connection, and only with PIPELINING)
     */
    Outcome run(HeldEnd before, boolean holdEnd) {
        this.before = before;
        this.holdEnd = holdEnd && capabilities.pipelining();
        Outcome outcome = attempt();
        finishBefore(); // when this transaction wrote nothing, or its first write failed
        return outcome;
    }

    /**
     * Completes a transaction that returned {@linkplain Outcome#awaitingEnd awaiting its end}: sends
     * its content if it is still held, reads the reply to the final "." and settles the recipients.
     */
    Outcome finish() {
        if (!awaitingEnd) {
            throw new IllegalStateException("transaction is not awaiting its end");
        }
        awaitingEnd = false;
        try {
            connection.flushHeld();
            readEnd();
            return outcome(Optional.empty());
        } catch (ServiceClosing e) {
            return brokenBy(e.reply);
        } catch (IOException e) {
            return brokenBy(lost(e));
        }
    }

    private Outcome attempt() {
        String sender = bare(message.mailFrom());
        if (!validAddress(sender, true)) {
            settleAll(new SmtpReply(501, "5.1.7 invalid sender address (not sent)"));
            return outcome(Optional.empty());
        }
        for (int i = 0; i < replies.length; i++) {
            if (validAddress(bare(message.recipients().get(i)), false)) {
                sendable.add(i);
            } else {
                replies[i] = new SmtpReply(501, "5.1.3 invalid recipient address (not sent)");
            }
        }
        if (sendable.isEmpty()) {
            return outcome(Optional.empty());
        }
        WireContent content = WireContent.encode(message.content());
        if (capabilities.maxSize() > 0 && content.size() > capabilities.maxSize()) {
            settleAll(new SmtpReply(
                    552,
                    "5.3.4 message size " + content.size() + " exceeds the size limit " + capabilities.maxSize()
                            + " of " + server + " (not sent)"));
            return outcome(Optional.empty());
        }
        try {
            if (capabilities.pipelining()) {
                pipelined(sender, content);
            } else {
                stepwise(sender, content);
            }
            return outcome(Optional.empty());
        } catch (PreviousBroke e) {
            return new Outcome(List.of(), false, Optional.empty(), false, false);
        } catch (ServiceClosing e) {
            return brokenBy(e.reply);
        } catch (IOException e) {
            return brokenBy(lost(e));
        }
    }

    /** The connection ended the transaction: {@code reply} for every recipient still without one. */
    private Outcome brokenBy(SmtpReply reply) {
        settleAll(reply);
        return outcome(Optional.of(reply));
    }

    /** A made-up 4xx saying how the connection was lost, in the phase it was lost in. */
    private SmtpReply lost(IOException e) {
        return phase.failure(e, phase == Phase.END_OF_DATA ? settings.dataEndTimeout() : settings.commandTimeout());
    }

    /** Finishes the transaction before this one, if any is left; false when it broke the connection. */
    private boolean finishBefore() {
        HeldEnd previous = before;
        before = null;
        return previous == null || previous.finish();
    }

    private void pipelined(String sender, WireContent content) throws IOException, ServiceClosing, PreviousBroke {
        List<String> commands = new ArrayList<>();
        commands.add(mailCommand(sender, content));
        for (int i : sendable) {
            commands.add(rcptCommand(i));
        }
        commands.add("DATA");
        int last = commands.size() - 1;
        ServerReply mail = null;
        ServerReply data = null;
        for (int start = 0; start <= last; start += PIPELINE_WINDOW) {
            int end = Math.min(start + PIPELINE_WINDOW, commands.size());
            phase = start == 0 ? Phase.MAIL : Phase.RCPT;
            connection.send(commands.subList(start, end)); // the first also carries the held content before it
            if (start == 0 && !finishBefore()) {
                throw new PreviousBroke();
            }
            for (int c = start; c < end; c++) {
                if (c == 0) {
                    phase = Phase.MAIL;
                    mail = readCompletion();
                    if (!mail.positive()) {
                        settleAll(mail.toSmtpReply());
                    }
                } else if (c == last) {
                    phase = Phase.DATA;
                    data = read();
                } else {
                    phase = Phase.RCPT;
                    ServerReply rcpt = readCompletion();
                    if (mail.positive()) {
                        recordRecipient(sendable.get(c - 1), rcpt);
                    }
                }
            }
            if (!mail.positive() && end <= last) {
                return; // MAIL refused: no need to send the rest of the recipients, nor DATA
            }
        }
        if (!mail.positive() || noneAccepted()) {
            if (data.code() == 354) {
                endEmptyData();
            } else {
                needsReset = mail.positive();
            }
            return;
        }
        transfer(data, content);
    }

    private void stepwise(String sender, WireContent content) throws IOException, ServiceClosing {
        phase = Phase.MAIL;
        connection.send(mailCommand(sender, content));
        ServerReply mail = readCompletion();
        if (!mail.positive()) {
            settleAll(mail.toSmtpReply());
            return;
        }
        phase = Phase.RCPT;
        for (int i : sendable) {
            connection.send(rcptCommand(i));
            recordRecipient(i, readCompletion());
        }
        if (noneAccepted()) {
            needsReset = true;
            return;
        }
        phase = Phase.DATA;
        connection.send("DATA");
        transfer(read(), content);
    }

    private void transfer(ServerReply data, WireContent content) throws IOException, ServiceClosing {
        if (data.code() != 354) {
            if (data.positive()) {
                throw new SmtpProtocolException("unexpected reply to DATA: " + data);
            }
            settleAll(data.toSmtpReply());
            needsReset = true;
            return;
        }
        if (holdEnd) {
            connection.hold(content);
            phase = Phase.END_OF_DATA;
            awaitingEnd = true;
            return;
        }
        connection.sendData(content);
        readEnd();
    }

    /** Reads the reply to the final "." and gives it to every recipient still without one. */
    private void readEnd() throws IOException, ServiceClosing {
        phase = Phase.END_OF_DATA;
        ServerReply end = connection.readReply(settings.dataEndTimeout());
        if (end.code() == 421) {
            throw new ServiceClosing(end.toSmtpReply());
        }
        if (!end.completion() && end.positive()) {
            throw new SmtpProtocolException("unexpected reply to end of DATA: " + end);
        }
        settleAll(end.toSmtpReply());
    }

    /** DATA was accepted although no recipient was (RFC 2920 §3.1): send an empty message, ignore the reply. */
    private void endEmptyData() throws IOException, ServiceClosing {
        connection.send(".");
        phase = Phase.END_OF_DATA;
        ServerReply end = connection.readReply(settings.dataEndTimeout());
        if (end.code() == 421) {
            throw new ServiceClosing(end.toSmtpReply());
        }
    }

    private void recordRecipient(int i, ServerReply rcpt) {
        if (rcpt.positive()) {
            accepted[i] = true;
        } else {
            replies[i] = rcpt.toSmtpReply();
        }
    }

    private boolean noneAccepted() {
        for (boolean a : accepted) {
            if (a) {
                return false;
            }
        }
        return true;
    }

    /** Gives {@code reply} to every recipient that has no final result yet. */
    private void settleAll(SmtpReply reply) {
        for (int i = 0; i < replies.length; i++) {
            if (replies[i] == null) {
                replies[i] = reply;
            }
        }
    }

    private ServerReply read() throws IOException, ServiceClosing {
        ServerReply reply = connection.readReply(settings.commandTimeout());
        if (reply.code() == 421) {
            throw new ServiceClosing(reply.toSmtpReply());
        }
        return reply;
    }

    /** A reply that must be 2xx, 4xx or 5xx. */
    private ServerReply readCompletion() throws IOException, ServiceClosing {
        ServerReply reply = read();
        if (!reply.completion() && reply.positive()) {
            throw new SmtpProtocolException("unexpected reply to " + phase.label() + ": " + reply);
        }
        return reply;
    }

    private String mailCommand(String sender, WireContent content) {
        StringBuilder command = new StringBuilder("MAIL FROM:<").append(sender).append('>');
        if (capabilities.size()) {
            command.append(" SIZE=").append(content.size());
        }
        if (capabilities.eightBitMime() && content.eightBit()) {
            command.append(" BODY=8BITMIME");
        }
        return command.toString();
    }

    private String rcptCommand(int i) {
        return "RCPT TO:<" + bare(message.recipients().get(i)) + ">";
    }

    private Outcome outcome(Optional<SmtpReply> broken) {
        List<RecipientResult> results = new ArrayList<>(replies.length);
        for (int i = 0; i < replies.length; i++) {
            SmtpReply reply = replies[i] != null
                    ? replies[i]
                    : new SmtpReply(Phase.MADE_UP_CODE, "4.5.0 no reply recorded for this recipient");
            results.add(new RecipientResult(message.recipients().get(i), reply));
        }
        return new Outcome(results, needsReset && broken.isEmpty(), broken, awaitingEnd, true);
    }

    /** The address without enclosing angle brackets, if the caller gave them. */
    private static String bare(String address) {
        if (address.length() >= 2 && address.startsWith("<") && address.endsWith(">")) {
            return address.substring(1, address.length() - 1);
        }
        return address;
    }

    /** Nothing that could end or split the command line; the null sender "" only for MAIL FROM. */
    private static boolean validAddress(String address, boolean sender) {
        if (address.isEmpty()) {
            return sender;
        }
        for (int i = 0; i < address.length(); i++) {
            char c = address.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '<' || c == '>') {
                return false;
            }
        }
        return true;
    }
}
