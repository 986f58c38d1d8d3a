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
 * Wraps MAIL: checks the SIZE= parameter (RFC 1870) before the library parses it, so a declared
 * size beyond the limit is 552 5.3.4 and a malformed one 501 5.5.4, whatever its length (the
 * library would fail on a number past 32 bits).
 */
final class SizeParameterCommand implements Command {
    private static final Pattern SIZE = Pattern.compile("\\sSIZE=(\\S*)", Pattern.CASE_INSENSITIVE);

    private final Command wrapped;
    private final long maxBytes;

    SizeParameterCommand(Command wrapped, long maxBytes) {
        this.wrapped = wrapped;
        this.maxBytes = maxBytes;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException, DropConnectionException {
        Matcher m = SIZE.matcher(commandString);
        if (m.find()) {
            String value = m.group(1);
            if (!isDecimal(value)) {
                session.sendResponse("501 5.5.4 SIZE must be a decimal number of bytes");
                return;
            }
            if (value.length() > 18 || Long.parseLong(value) > maxBytes) {
                session.sendResponse(
                        "552 5.3.4 Message size exceeds fixed maximum message size of " + maxBytes + " bytes");
                return;
            }
        }
        wrapped.execute(commandString, session);
    }

    /** 1 to 19 ASCII digits. */
    private static boolean isDecimal(String value) {
        if (value.isEmpty() || value.length() > 19) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            if (value.charAt(i) < '0' || value.charAt(i) > '9') {
                return false;
            }
        }
        return true;
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
