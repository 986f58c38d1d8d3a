package io.poolmta.sim;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One client connection to a {@link ProviderSimulator}, from greeting to close.
 * <p>
 * The greeting is 220, or the provider's too-many-connections reply when the source IP already has
 * all the connections it may. EHLO offers PIPELINING and 8BITMIME. MAIL is refused with the
 * per-connection reply once the connection has carried its allowance; RCPT is refused with 550 5.1.1
 * for a local part starting with "unknown", else with the rate-limit reply when the IP's hourly
 * allowance is used up; the end of DATA accepts the message for every recipient that RCPT accepted.
 * Every count is recorded before the reply that reports it is sent, so a client that has read a
 * reply can trust the simulator's counts. After a 421 reply the session gives up its connection
 * slot, closes its side and discards what the client still sends until the client closes. A dropped
 * connection releases everything it held; nothing is thrown.
 */
final class ProviderSession {
    private static final int MAX_COMMAND = 2048;
    private static final int MAX_DATA_LINE = 64 * 1024;
    private static final int MAX_RECIPIENTS = 100;
    private static final long MAX_MESSAGE_BYTES = 36_700_160;
    private static final int IDLE_MILLIS = 60_000;
    private static final int LINGER_MILLIS = 2_000;
    private static final long LINGER_BYTES = 1 << 20;

    private final Socket socket;
    private final ProviderSimulator simulator;
    private final SourceHistory history;
    private final String ip;
    private final ProviderReplies replies;
    private SmtpLines in;
    private OutputStream out;
    private boolean holdsSlot;
    private String ehloName;
    private String mailFrom;
    private final List<String> recipients = new ArrayList<>();
    private int messagesOnConnection;

    ProviderSession(Socket socket, ProviderSimulator simulator, SourceHistory history) {
        this.socket = socket;
        this.simulator = simulator;
        this.history = history;
        this.ip = socket.getInetAddress().getHostAddress();
        this.replies = simulator.profile().replies();
    }

    void run() {
        try (socket) {
            socket.setSoTimeout(IDLE_MILLIS);
            in = new SmtpLines(new BufferedInputStream(socket.getInputStream()));
            out = new BufferedOutputStream(socket.getOutputStream());
            if (!history.openConnection(now())) {
                closeWith(replies.tooManyConnections().wire(ip, ""));
                return;
            }
            holdsSlot = true;
            send("220 " + simulator.name() + " ESMTP PoolMTA provider simulator");
            dialogue();
        } catch (SocketTimeoutException e) {
            try {
                closeWith("421 4.4.2 " + simulator.name() + " Error: timeout exceeded\r\n");
            } catch (IOException ignored) {
                // the client is gone too
            }
        } catch (IOException e) {
            // the client went away; what it held is released below
        } finally {
            release();
        }
    }

    private void dialogue() throws IOException {
        String line;
        while ((line = nextLine(MAX_COMMAND)) != null) {
            if (in.cut()) {
                send("500 5.5.2 Line too long");
                continue;
            }
            String upper = line.toUpperCase(Locale.ROOT);
            String verb = upper.length() >= 4 ? upper.substring(0, 4) : upper;
            boolean open = switch (verb) {
                case "EHLO", "HELO" -> hello(line, verb.equals("EHLO"));
                case "MAIL" -> mail(line, upper);
                case "RCPT" -> rcpt(line, upper);
                case "DATA" -> data(upper);
                case "RSET" ->
                    noArgument(upper, () -> {
                        resetTransaction();
                        send("250 2.0.0 Ok");
                    });
                case "NOOP" -> noArgument(upper, () -> send("250 2.0.0 Ok"));
                case "QUIT" -> {
                    release();
                    send("221 2.0.0 Bye");
                    out.flush();
                    yield false;
                }
                default -> {
                    send("502 5.5.2 Command not recognized");
                    yield true;
                }
            };
            if (!open) {
                return;
            }
        }
    }

    private boolean hello(String line, boolean extended) throws IOException {
        String name = line.length() > 5 ? line.substring(5).trim() : "";
        if (name.isEmpty()) {
            send("501 5.5.4 Syntax: " + (extended ? "EHLO" : "HELO") + " hostname");
            return true;
        }
        resetTransaction();
        ehloName = name;
        history.ehlo(name);
        String greeting = simulator.name() + " at your service, [" + ip + "]";
        send(extended ? "250-" + greeting + "\r\n250-PIPELINING\r\n250 8BITMIME" : "250 " + greeting);
        return true;
    }

    private boolean mail(String line, String upper) throws IOException {
        if (!upper.startsWith("MAIL FROM:")) {
            send("501 5.5.4 Syntax: MAIL FROM:<address>");
            return true;
        }
        if (ehloName == null) {
            send("503 5.5.1 Error: send HELO/EHLO first");
            return true;
        }
        if (mailFrom != null) {
            send("503 5.5.1 Error: nested MAIL command");
            return true;
        }
        if (!history.mayStartMessage(messagesOnConnection, now())) {
            return throttle(replies.tooManyMessagesOnConnection(), "");
        }
        mailFrom = address(line.substring("MAIL FROM:".length()));
        send("250 2.1.0 Ok");
        return true;
    }

    private boolean rcpt(String line, String upper) throws IOException {
        if (!upper.startsWith("RCPT TO:")) {
            send("501 5.5.4 Syntax: RCPT TO:<address>");
            return true;
        }
        if (mailFrom == null) {
            send("503 5.5.1 Error: need MAIL command");
            return true;
        }
        String recipient = address(line.substring("RCPT TO:".length()));
        if (recipient.isEmpty()) {
            send("501 5.1.3 Bad recipient address syntax");
            return true;
        }
        if (recipients.size() >= MAX_RECIPIENTS) {
            send("452 4.5.3 Error: too many recipients");
            return true;
        }
        int at = recipient.lastIndexOf('@');
        String local = at < 0 ? recipient : recipient.substring(0, at);
        if (local.toLowerCase(Locale.ROOT).startsWith("unknown")) {
            history.unknownRecipient();
            sendWire(replies.unknownUser().wire(ip, recipient));
            return true;
        }
        if (!history.reserveRecipient(now())) {
            return throttle(replies.rateLimited(), recipient);
        }
        recipients.add(recipient);
        send("250 2.1.5 Ok");
        return true;
    }

    private boolean data(String upper) throws IOException {
        if (!upper.equals("DATA")) {
            send("501 5.5.4 Syntax: DATA");
            return true;
        }
        if (mailFrom == null) {
            send("503 5.5.1 Error: need MAIL command");
            return true;
        }
        if (recipients.isEmpty()) {
            send("554 5.5.1 Error: no valid recipients");
            return true;
        }
        send("354 End data with <CR><LF>.<CR><LF>");
        StringBuilder headers = new StringBuilder();
        StringBuilder content = simulator.checksDkim() ? new StringBuilder() : null;
        boolean inHeaders = true;
        long size = 0;
        String line;
        while ((line = nextLine(MAX_DATA_LINE)) != null && !(line.equals(".") && !in.cut())) {
            long length = in.length();
            if (line.startsWith(".")) {
                line = line.substring(1);
                length--;
            }
            size += length + 2;
            if (content != null && content.length() <= MAX_MESSAGE_BYTES) {
                content.append(line).append("\r\n");
            }
            if (inHeaders) {
                inHeaders = !line.isEmpty();
                if (inHeaders && headers.length() + line.length() + 2 <= ReceivedMail.MAX_HEADER_CHARS) {
                    headers.append(line).append("\r\n");
                }
            }
        }
        if (line == null) {
            return false;
        }
        if (size > MAX_MESSAGE_BYTES) {
            resetTransaction();
            send("552 5.3.4 Error: message size exceeds fixed limit");
            return true;
        }
        ReceivedMail mail = new ReceivedMail(now(), ip, ehloName, mailFrom, recipients, size, headers.toString());
        if (content != null) {
            simulator.checkDkim(ip, content.toString().getBytes(StandardCharsets.ISO_8859_1));
        }
        long id = simulator.recordAccepted(history, mail);
        recipients.clear();
        mailFrom = null;
        messagesOnConnection++;
        send("250 2.0.0 OK: queued as " + id + " by " + simulator.name());
        return true;
    }

    /** Sends a throttle reply; after a 421 the connection is closed and the dialogue over. */
    private boolean throttle(SimReply reply, String recipient) throws IOException {
        if (reply.closesConnection()) {
            closeWith(reply.wire(ip, recipient));
            return false;
        }
        sendWire(reply.wire(ip, recipient));
        return true;
    }

    private interface Action {
        void run() throws IOException;
    }

    /** Runs a command that takes no argument. */
    private boolean noArgument(String upper, Action action) throws IOException {
        if (upper.length() > 4 && !upper.substring(4).isBlank()) {
            send("501 5.5.4 Syntax: " + upper.substring(0, 4) + " takes no argument");
        } else {
            action.run();
        }
        return true;
    }

    /** Gives up everything held, says the last words, and waits for the client to hang up. */
    private void closeWith(String wireReply) throws IOException {
        release();
        sendWire(wireReply);
        out.flush();
        socket.shutdownOutput();
        try {
            socket.setSoTimeout(LINGER_MILLIS);
            byte[] discard = new byte[8192];
            long total = 0;
            int n;
            InputStream raw = socket.getInputStream();
            while (total < LINGER_BYTES && (n = raw.read(discard)) >= 0) {
                total += n;
            }
        } catch (IOException e) {
            // the reply is out; how the client hangs up does not matter
        }
    }

    private void resetTransaction() {
        history.release(recipients.size());
        recipients.clear();
        mailFrom = null;
    }

    /** Idempotent: reservations back, connection slot back. */
    private void release() {
        resetTransaction();
        if (holdsSlot) {
            holdsSlot = false;
            history.closeConnection();
        }
    }

    /** The next line; replies written so far go out first when the client has sent nothing more. */
    private String nextLine(int max) throws IOException {
        if (in.drained()) {
            out.flush();
        }
        return in.read(max);
    }

    private void send(String text) throws IOException {
        sendWire(text + "\r\n");
    }

    private void sendWire(String wire) throws IOException {
        out.write(wire.getBytes(StandardCharsets.ISO_8859_1));
    }

    private Instant now() {
        return simulator.clock().instant();
    }

    /** The address inside the angle brackets (parameters after them ignored), or the first word. */
    private static String address(String argument) {
        String rest = argument.trim();
        int open = rest.indexOf('<');
        int close = rest.indexOf('>', open + 1);
        if (open >= 0 && close > open) {
            return rest.substring(open + 1, close).trim();
        }
        int space = rest.indexOf(' ');
        return space < 0 ? rest : rest.substring(0, space);
    }
}
