package io.poolmta.submission;

import java.io.IOException;
import org.subethamail.smtp.internal.server.BaseCommand;
import org.subethamail.smtp.server.Session;

/** A verb of an extension this server does not advertise (BDAT without CHUNKING): 502 5.5.1. */
final class NotOfferedCommand extends BaseCommand {
    NotOfferedCommand(String verb) {
        super(verb, verb + " is not offered by this server.");
    }

    @Override
    public void execute(String commandString, Session session) throws IOException {
        session.sendResponse("502 5.5.1 " + getName() + " is not offered; use DATA");
    }
}
