package io.poolmta.submission;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.Session;

/**
 * EHLO: greets and advertises exactly what this server does: PIPELINING, SIZE, 8BITMIME, STARTTLS
 * (until TLS is on) and AUTH PLAIN LOGIN (before TLS only when {@code allowCleartextAuth} is on).
 * Resets any mail transaction, as RFC 5321 asks.
 */
final class EhloCommand extends BaseCommand {
    private final SubmissionSettings settings;

    EhloCommand(SubmissionSettings settings) {
        super("EHLO", "Introduce yourself.", "<hostname>");
        this.settings = settings;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException {
        String[] args = getArgs(commandString);
        if (args.length < 2) {
            session.sendResponse("501 5.5.4 Syntax: EHLO hostname");
            return;
        }
        session.resetMailTransaction();
        session.setHelo(args[1]);
        List<String> lines = new ArrayList<>();
        lines.add(session.getServer().getHostName());
        lines.add("PIPELINING");
        lines.add("SIZE " + settings.maxMessageBytes());
        lines.add("8BITMIME");
        if (!session.isTLSStarted()) {
            lines.add("STARTTLS");
        }
        if (session.isTLSStarted() || settings.allowCleartextAuth()) {
            lines.add("AUTH " + PlainLoginAuthentication.PLAIN + " " + PlainLoginAuthentication.LOGIN);
        }
        StringBuilder reply = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            reply.append(i == lines.size() - 1 ? "250 " : "250-").append(lines.get(i));
            if (i < lines.size() - 1) {
                reply.append("\r\n");
            }
        }
        session.sendResponse(reply.toString());
    }
}
