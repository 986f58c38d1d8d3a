package io.poolmta.submission;

import java.io.IOException;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.server.CommandException;
import org.subethamail.smtp.internal.server.HelpMessage;
import org.subethamail.smtp.server.Session;

/** Wraps a verb (AUTH, unless {@code allowCleartextAuth}): before STARTTLS it answers 530 5.7.0. */
final class RequireTlsCommand implements Command {
    private final Command wrapped;

    RequireTlsCommand(Command wrapped) {
        this.wrapped = wrapped;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException, DropConnectionException {
        if (!session.isTLSStarted()) {
            session.sendResponse("530 5.7.0 Must issue a STARTTLS command first");
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
