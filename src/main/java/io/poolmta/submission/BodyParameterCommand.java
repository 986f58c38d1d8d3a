package io.poolmta.submission;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.server.CommandException;
import org.subethamail.smtp.internal.server.HelpMessage;
import org.subethamail.smtp.server.Session;

/**
 * Wraps MAIL: remembers whether the client declared {@code BODY=8BITMIME} (RFC 6152) for the
 * transaction it starts, which decides whether 8-bit header bytes are accepted (see
 * {@link SubmissionTransaction}). {@code BODY=} with any value other than 7BIT or 8BITMIME is
 * refused with 555 5.5.4 (BINARYMIME is not offered).
 */
final class BodyParameterCommand implements Command {
    private static final Pattern BODY = Pattern.compile("\\sBODY=(\\S*)", Pattern.CASE_INSENSITIVE);

    private final Command wrapped;

    BodyParameterCommand(Command wrapped) {
        this.wrapped = wrapped;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException, DropConnectionException {
        Matcher m = BODY.matcher(commandString);
        boolean eightBit = false;
        if (m.find()) {
            String value = m.group(1).toUpperCase(Locale.ROOT);
            if (!value.equals("7BIT") && !value.equals("8BITMIME")) {
                session.sendResponse("555 5.5.4 BODY must be 7BIT or 8BITMIME");
                return;
            }
            eightBit = value.equals("8BITMIME");
        }
        boolean before = session.isMailTransactionInProgress();
        wrapped.execute(commandString, session);
        if (!before
                && session.isMailTransactionInProgress()
                && session.getMessageHandler() instanceof SubmissionTransaction transaction) {
            transaction.declareEightBit(eightBit);
        }
    }

    @Override
    public HelpMessage getHelp() throws CommandException {
        return wrapped.getHelp();
    }

    @Override
    public String getName() {
        return wrapped.getName().toUpperCase(Locale.ROOT);
    }
}
