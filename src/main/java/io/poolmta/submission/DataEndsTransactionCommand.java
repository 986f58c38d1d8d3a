package io.poolmta.submission;

import java.io.IOException;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.server.CommandException;
import org.subethamail.smtp.internal.server.HelpMessage;
import org.subethamail.smtp.server.Session;

/**
 * Wraps DATA: once the message has been read, the mail transaction is over whatever the reply
 * (RFC 5321 §4.1.1.4), so the client may start the next one with MAIL. SubEthaSMTP ends it only
 * after a 250; after a refusal it would otherwise answer the next MAIL with 503.
 */
final class DataEndsTransactionCommand implements Command {
    private final Command wrapped;

    DataEndsTransactionCommand(Command wrapped) {
        this.wrapped = wrapped;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException, DropConnectionException {
        boolean readsMessage = session.isMailTransactionInProgress() && session.getRecipientCount() > 0;
        try {
            wrapped.execute(commandString, session);
        } finally {
            if (readsMessage) {
                session.resetMailTransaction();
            }
        }
    }

    @Override
    public HelpMessage getHelp() throws CommandException {
        return wrapped.getHelp();
    }

    @Override
    public String getName() {
        return wrapped.getName();
    }
}
