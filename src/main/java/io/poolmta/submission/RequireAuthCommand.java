package io.poolmta.submission;

import java.io.IOException;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.server.CommandException;
import org.subethamail.smtp.internal.server.HelpMessage;
import org.subethamail.smtp.server.Session;

/**
 * Wraps a mail-transaction verb (MAIL, RCPT, DATA): before a successful AUTH it answers
 * {@code 530 5.7.0 Authentication required} and does nothing else, so an unauthenticated client
 * can never relay.
 */
final class RequireAuthCommand implements Command {
    private final Command wrapped;

    RequireAuthCommand(Command wrapped) {
        this.wrapped = wrapped;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException, DropConnectionException {
        if (!session.isAuthenticated()) {
            session.sendResponse("530 5.7.0 Authentication required");
            return;
        }
        wrapped.execute(commandString, session);
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
