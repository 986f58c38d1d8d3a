package io.poolmta.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLSocket;

/**
 * One connection of a {@link ScriptedSmtpServer}: the receiving side of RFC 5321 with the
 * extensions the server offers, consulting the script at each {@link SmtpStage} and reporting a
 * {@link RecipientVerdict} for each recipient the transaction's replies (or a hang-up) concern.
 * Runs on its own thread; {@link #record()} may be called from any thread.
 */
final class ScriptedSmtpSession {
    private static final Pattern MAIL = Pattern.compile("(?i)FROM:\\s*<([^>]*)>\\s*(.*)");
    private static final Pattern RCPT = Pattern.compile("(?i)TO:\\s*<([^>]*)>\\s*(.*)");
    private static final Pattern SIZE = Pattern.compile("(?i)SIZE=(\\d+)");
    private static final byte[] END_OF_DATA = {'.', '\r', '\n'};
    private static final int MAX_LINE = 16 * 1024 * 1024;

    /** The script ended the connection (drop, silence, reply-then-drop). */
    private static final class Hangup extends Exception {
        Hangup() {
            super(null, null, false, false);
        }
    }

    private final ScriptedSmtpServer server;
    private final ScriptedSmtpServer.Options options;
    private final int id;
    private final String sourceAddress;
    private final int sourcePort;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    // what the session saw, guarded by this
    private String ehloName;
    private boolean tls;
    private boolean open = true;
    private final List<String> commands = new ArrayList<>();
    private final List<List<String>> groups = new ArrayList<>();

    // protocol state, confined to the session's thread
    private boolean greeted;
    private boolean inputBeforeLastReply;
    private boolean hello;
    private String mailFrom;
    private List<String> mailParameters = List.of();
    private final List<String> recipients = new ArrayList<>();
    /** The reply to a refused MAIL, which a pipelining client applies to the RCPTs it sent after it. */
    private Reply refusedMail;
    /** The recipient of the RCPT being answered. */
    private String pendingRecipient;
    /** Recipients of this transaction with a verdict already. */
    private final Set<String> judged = new HashSet<>();
    /** The message of this transaction was recorded. */
    private boolean recorded;
    /** The script's action at DATA or DATA_END when it changes what follows the reply. */
    private SmtpRule.Action twist;

    ScriptedSmtpSession(ScriptedSmtpServer server, Socket socket, int id) {
        this.server = server;
        this.options = server.options();
        this.socket = socket;
        this.id = id;
        this.sourceAddress = socket.getInetAddress().getHostAddress();
        this.sourcePort = socket.getPort();
    }

    synchronized SmtpSessionRecord record() {
        return new SmtpSessionRecord(
                id, sourceAddress, sourcePort, Optional.ofNullable(ehloName), tls, commands, groups, open);
    }

    void run() {
        try {
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
            greet();
            while (!server.isClosed()) {
                boolean newGroup = !inputBeforeLastReply;
                byte[] line = readLine();
                if (line == null) {
                    return;
                }
                String command = new String(line, StandardCharsets.UTF_8).replaceAll("\r?\n$", "");
                logCommand(command, newGroup);
                if (!serve(command)) {
                    return;
                }
            }
        } catch (IOException e) {
            // the connection ends
        } catch (Hangup e) {
            discardInput();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            synchronized (this) {
                open = false;
            }
        }
    }

    private void greet() throws IOException, Hangup, InterruptedException {
        Reply greeting = plan(SmtpStage.GREETING, "", 220, options.hostname() + " ESMTP ScriptedSmtpServer ready");
        send(greeting);
        greeted = greeting.code() / 100 == 2;
    }

    /** Handles one command; false when the session is over. */
    private boolean serve(String command) throws IOException, Hangup, InterruptedException {
        String verb = SmtpSessionRecord.verb(command);
        String argument = command.length() > verb.length()
                ? command.substring(verb.length()).strip()
                : "";
        if (!greeted && !verb.equals("QUIT")) {
            send(new Reply(503, "5.5.1 no service here, only QUIT"));
            return true;
        }
        switch (verb) {
            case "EHLO" -> ehlo(argument);
            case "HELO" -> helo(argument);
            case "STARTTLS" -> startTls();
            case "MAIL" -> mail(argument);
            case "RCPT" -> rcpt(argument);
            case "DATA" -> data();
            case "RSET" -> {
                send(plan(SmtpStage.RSET, "", 250, "2.0.0 Ok"));
                resetTransaction();
            }
            case "NOOP" -> send(new Reply(250, "2.0.0 Ok"));
            case "QUIT" -> {
                send(plan(SmtpStage.QUIT, "", 221, "2.0.0 Bye"));
                return false;
            }
            default -> send(new Reply(500, "5.5.2 command not recognized"));
        }
        return true;
    }

    private void ehlo(String name) throws IOException, Hangup, InterruptedException {
        synchronized (this) {
            ehloName = name;
        }
        List<String> lines = new ArrayList<>();
        lines.add(options.hostname() + " greets " + name);
        if (options.pipelining()) {
            lines.add("PIPELINING");
        }
        if (options.sizeLimit() >= 0) {
            lines.add("SIZE " + options.sizeLimit());
        }
        if (options.startTls() && !tls()) {
            lines.add("STARTTLS");
        }
        if (options.eightBitMime()) {
            lines.add("8BITMIME");
        }
        lines.add("ENHANCEDSTATUSCODES");
        Reply reply = options.ehlo()
                ? plan(SmtpStage.EHLO, name, 250, String.join("\n", lines))
                : plan(SmtpStage.EHLO, name, 502, "5.5.2 EHLO not supported, say HELO");
        send(reply);
        if (reply.code() == 250) {
            hello = true;
            resetTransaction();
        }
    }

    private void helo(String name) throws IOException, Hangup, InterruptedException {
        synchronized (this) {
            ehloName = name;
        }
        Reply reply = plan(SmtpStage.HELO, name, 250, options.hostname());
        send(reply);
        if (reply.code() == 250) {
            hello = true;
            resetTransaction();
        }
    }

    private void startTls() throws IOException, Hangup, InterruptedException {
        if (!options.startTls() || tls()) {
            send(new Reply(502, "5.5.1 STARTTLS not offered"));
            return;
        }
        Reply reply = plan(SmtpStage.STARTTLS, "", 220, "2.0.0 Ready to start TLS");
        send(reply);
        if (reply.code() != 220) {
            return;
        }
        SSLSocket ssl = (SSLSocket)
                server.tlsContext().getSocketFactory().createSocket(socket, sourceAddress, sourcePort, true);
        ssl.setUseClientMode(false);
        ssl.startHandshake();
        socket = ssl;
        in = new BufferedInputStream(ssl.getInputStream());
        out = ssl.getOutputStream();
        synchronized (this) {
            tls = true;
        }
        hello = false;
        resetTransaction();
    }

    private void mail(String argument) throws IOException, Hangup, InterruptedException {
        Matcher m = MAIL.matcher(argument);
        refusedMail = null;
        if (!hello) {
            send(new Reply(503, "5.5.1 EHLO or HELO first"));
        } else if (mailFrom != null) {
            send(new Reply(503, "5.5.1 nested MAIL command"));
        } else if (!m.matches()) {
            send(new Reply(501, "5.5.4 syntax: MAIL FROM:<address>"));
        } else if (tooBig(m.group(2))) {
            refusedMail = new Reply(552, "5.3.4 message size exceeds fixed limit of " + options.sizeLimit());
            send(refusedMail);
        } else {
            Reply reply = plan(SmtpStage.MAIL, m.group(1), 250, "2.1.0 Ok");
            judge(SmtpStage.MAIL, reply);
            send(reply);
            if (reply.code() / 100 == 2) {
                mailFrom = m.group(1);
                mailParameters = m.group(2).isBlank()
                        ? List.of()
                        : List.of(m.group(2).strip().split("\\s+"));
            }
        }
    }

    private void rcpt(String argument) throws IOException, Hangup, InterruptedException {
        Matcher m = RCPT.matcher(argument);
        if (mailFrom == null) {
            if (refusedMail != null && m.matches()) {
                server.verdict(
                        id,
                        m.group(1),
                        SmtpStage.MAIL,
                        RecipientVerdict.ofCode(refusedMail.code()),
                        refusedMail.code());
            }
            send(new Reply(503, "5.5.1 need MAIL before RCPT"));
        } else if (!m.matches()) {
            send(new Reply(501, "5.5.4 syntax: RCPT TO:<address>"));
        } else {
            pendingRecipient = m.group(1);
            Reply reply = plan(SmtpStage.RCPT, m.group(1), 250, "2.1.5 Ok");
            judge(SmtpStage.RCPT, reply);
            send(reply);
            if (reply.code() / 100 == 2) {
                recipients.add(m.group(1));
            }
            pendingRecipient = null;
        }
    }

    private void data() throws IOException, Hangup, InterruptedException {
        if (mailFrom == null) {
            refusedMail = null;
            send(new Reply(503, "5.5.1 need MAIL before DATA"));
            return;
        }
        if (recipients.isEmpty()) {
            send(new Reply(554, "5.5.1 no valid recipients"));
            return;
        }
        Reply go = plan(SmtpStage.DATA, "", 354, "End data with <CR><LF>.<CR><LF>");
        judge(SmtpStage.DATA, go);
        send(go);
        if (go.code() != 354) {
            return;
        }
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        while (true) {
            byte[] line = readLine();
            if (line == null) {
                throw new Hangup();
            }
            if (twist instanceof SmtpRule.DropInContent) {
                throw hangUp(SmtpStage.DATA);
            }
            if (Arrays.equals(line, END_OF_DATA)) {
                break;
            }
            wire.writeBytes(line);
            int stuffed = line[0] == '.' ? 1 : 0;
            data.write(line, stuffed, line.length - stuffed);
        }
        Reply end = plan(SmtpStage.DATA_END, "", 250, "2.0.0 Ok: queued");
        if (end.code() / 100 == 2) {
            int number = server.accepted(new ReceivedMessage(
                    id,
                    sourceAddress,
                    ehloNameNow(),
                    tls(),
                    mailFrom,
                    mailParameters,
                    recipients,
                    data.toByteArray(),
                    wire.toByteArray()));
            recorded = true;
            if (twist instanceof SmtpRule.AcceptThenDrop) {
                throw hangUp(SmtpStage.DATA_END);
            }
            if (end.text().equals("2.0.0 Ok: queued")) {
                end = new Reply(250, "2.0.0 Ok: queued as " + number);
            }
        }
        judge(SmtpStage.DATA_END, end);
        send(end);
        resetTransaction();
    }

    private boolean tooBig(String parameters) {
        Matcher size = SIZE.matcher(parameters);
        return options.sizeLimit() > 0 && size.find() && Long.parseLong(size.group(1)) > options.sizeLimit();
    }

    private void resetTransaction() {
        mailFrom = null;
        mailParameters = List.of();
        recipients.clear();
        refusedMail = null;
        pendingRecipient = null;
        judged.clear();
        recorded = false;
        twist = null;
    }

    /**
     * The reply the script gives at this stage, or the default; ends the session when it says so.
     * The fault mix's subject is the argument, or the transaction's sender at DATA and DATA_END.
     */
    private Reply plan(SmtpStage stage, String argument, int code, String text)
            throws IOException, Hangup, InterruptedException {
        String subject = stage == SmtpStage.DATA || stage == SmtpStage.DATA_END ? mailFrom : argument;
        return switch (server.decide(stage, argument, subject)) {
            case SmtpRule.Proceed p -> new Reply(code, text);
            case SmtpRule.Reply r -> new Reply(r.code(), r.text());
            case SmtpRule.ReplyThenDrop r -> {
                Reply reply = new Reply(r.code(), r.text());
                judge(stage, reply);
                send(reply);
                throw hangUp(stage);
            }
            case SmtpRule.Drop d -> throw hangUp(stage);
            case SmtpRule.Silence s -> {
                while (in.read() >= 0) {
                    // ignore whatever the client says until it leaves
                }
                throw hangUp(stage);
            }
            case SmtpRule.DropInContent d -> {
                twist = d;
                yield new Reply(code, text);
            }
            case SmtpRule.AcceptThenDrop a -> {
                twist = a;
                yield new Reply(code, text);
            }
        };
    }

    /**
     * Records what a reply at this stage tells the client about the transaction's recipients: a
     * RCPT refusal concerns its recipient, a reply to DATA (other than 354) or to the final "."
     * every accepted recipient, a 421 everyone in the transaction. A refused MAIL is kept for the
     * RCPTs a pipelining client sent after it.
     */
    private void judge(SmtpStage stage, Reply reply) {
        int code = reply.code();
        switch (stage) {
            case MAIL -> refusedMail = code / 100 == 2 ? null : reply;
            case RCPT -> {
                if (code / 100 != 2) {
                    verdict(pendingRecipient, stage, RecipientVerdict.ofCode(code), code);
                }
            }
            case DATA -> {
                if (code != 354) {
                    recipients.forEach(r -> verdict(r, stage, RecipientVerdict.ofCode(code), code));
                }
            }
            case DATA_END -> recipients.forEach(r -> verdict(r, stage, RecipientVerdict.ofCode(code), code));
            default -> {
                // no transaction reply
            }
        }
        if (code == 421 && mailFrom != null) {
            inTransaction().forEach(r -> verdict(r, stage, RecipientVerdict.Kind.DEFERRED, code));
        }
    }

    /** The script ends the connection here: every recipient still waiting learns nothing. */
    private Hangup hangUp(SmtpStage stage) {
        if (mailFrom != null) {
            RecipientVerdict.Kind kind = recorded ? RecipientVerdict.Kind.REPLY_LOST : RecipientVerdict.Kind.DROPPED;
            inTransaction().forEach(r -> verdict(r, stage, kind, 0));
        }
        return new Hangup();
    }

    /** The accepted recipients and the one being answered, without a verdict yet. */
    private List<String> inTransaction() {
        List<String> open = new ArrayList<>(recipients);
        if (pendingRecipient != null) {
            open.add(pendingRecipient);
        }
        open.removeIf(judged::contains);
        return open;
    }

    /** At most one verdict per recipient and transaction. */
    private void verdict(String recipient, SmtpStage stage, RecipientVerdict.Kind kind, int code) {
        if (judged.add(recipient)) {
            server.verdict(id, recipient, stage, kind, code);
        }
    }

    /** Sends a reply, first noting whether the client had sent more without waiting for it. */
    private void send(Reply reply) throws IOException {
        inputBeforeLastReply = in.available() > 0;
        String[] lines = reply.text().split("\n", -1);
        StringBuilder wire = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            wire.append(reply.code())
                    .append(i == lines.length - 1 ? ' ' : '-')
                    .append(lines[i])
                    .append("\r\n");
        }
        out.write(wire.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /**
     * Reads away what the client already sent, so that closing sends a plain FIN: closing with
     * unread input would reset the connection, and the client might lose replies it was sent.
     */
    private void discardInput() {
        try {
            for (int n = in.available(); n > 0; n = in.available()) {
                in.skipNBytes(n);
            }
        } catch (IOException e) {
            // closing anyway
        }
    }

    /** One line with its line ending (whatever it was), or null at the end of the stream. */
    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        int b;
        while ((b = in.read()) >= 0) {
            line.write(b);
            if (b == '\n') {
                return line.toByteArray();
            }
            if (line.size() > MAX_LINE) {
                throw new IOException("line too long");
            }
        }
        return line.size() == 0 ? null : line.toByteArray();
    }

    private synchronized void logCommand(String command, boolean newGroup) {
        commands.add(command);
        if (newGroup || groups.isEmpty()) {
            groups.add(new ArrayList<>());
        }
        groups.getLast().add(command);
    }

    private synchronized boolean tls() {
        return tls;
    }

    private synchronized String ehloNameNow() {
        return ehloName;
    }

    private record Reply(int code, String text) {
        Reply {
            if (code < 200 || code > 599) {
                throw new IllegalArgumentException("reply code: " + code);
            }
        }
    }
}
