package io.poolmta.submission;

import java.io.IOException;
import java.io.InputStream;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.RejectException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.internal.util.SMTPResponseHelper;
import org.subethamail.smtp.server.Session;

/**
 * DATA, as SubEthaSMTP's own command answers it (503 without MAIL or RCPT, 354, then the
 * handler's 250 or refusal), but reading the message through {@link SmtpDataStream}, which decodes
 * the session's buffered input in chunks instead of byte by byte through two filter streams. The
 * message is always read to its end, whatever the handler answers, so the session stays in step.
 * The server writes no Received header (SubmissionServer turns them off), so none is added here.
 */
final class BulkDataCommand extends BaseCommand {
    BulkDataCommand() {
        super("DATA", "Following text is collected as the message.\nEnd data with <CR><LF>.<CR><LF>");
    }

    @Override
    public void execute(String commandString, Session session) throws IOException, DropConnectionException {
        if (!session.isMailTransactionInProgress()) {
            session.sendResponse("503 5.5.1 Error: need MAIL command");
            return;
        }
        if (session.getRecipientCount() == 0) {
            session.sendResponse("503 Error: need RCPT command");
            return;
        }
        session.sendResponse("354 End data with <CR><LF>.<CR><LF>");
        InputStream data = new SmtpDataStream(session.getRawInput());
        String reply;
        try {
            reply = session.getMessageHandler().data(data);
        } catch (RejectException e) {
            drain(data);
            session.sendResponse(e.getErrorResponse());
            return;
        }
        drain(data);
        session.sendResponse(reply == null ? "250 Ok" : SMTPResponseHelper.buildResponse("250", reply));
        session.resetMailTransaction();
    }

    private static void drain(InputStream data) throws IOException {
        byte[] buffer = new byte[1024];
        while (data.read(buffer) >= 0) {
            // the rest of the message is not wanted
        }
    }
}
