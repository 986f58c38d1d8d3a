package io.poolmta.submission;

import java.io.IOException;
import java.net.InetAddress;
import java.util.Optional;
import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.server.CommandException;
import org.subethamail.smtp.internal.server.HelpMessage;
import org.subethamail.smtp.server.Session;

/**
 * Wraps AUTH: while the client's IP is locked out by the {@link AuthThrottle} (or its attempts
 * are used up) it answers {@code 454 4.7.0} without looking at the credentials. (Attempts are
 * admitted and counted just before credentials are checked, in {@link PlainLoginAuthentication}.)
 */
final class ThrottledAuthCommand implements Command {
    private final Command wrapped;
    private final AuthThrottle throttle;

    ThrottledAuthCommand(Command wrapped, AuthThrottle throttle) {
        this.wrapped = wrapped;
        this.throttle = throttle;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException, DropConnectionException {
        Optional<InetAddress> client = PlainLoginAuthentication.clientAddress(session);
        if (client.isPresent() && throttle.isLocked(client.get())) {
            session.sendResponse("454 4.7.0 Too many failed authentication attempts, try again later");
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
