package io.poolmta.testing;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * What a {@link ScriptedSmtpServer} saw of one connection, as a snapshot.
 *
 * @param id the connection's number, from 1, in order of acceptance
 * @param sourceAddress the client's IP address (the source the client bound to)
 * @param sourcePort the client's port
 * @param ehloName the name of the client's last EHLO or HELO, if any
 * @param tls whether STARTTLS completed
 * @param commands every command line the client sent, in order (message content excluded)
 * @param commandGroups the same commands grouped by arrival: a command joins the previous one's
 *     group when it was already in the server's input before the server replied to the previous
 *     one, i.e. the client sent it without waiting for that reply. A PIPELINING client's MAIL,
 *     RCPT… and DATA show up as one group; a client that waits for each reply makes groups of one
 * @param open whether the server still serves the connection
 */
public record SmtpSessionRecord(
        int id,
        String sourceAddress,
        int sourcePort,
        Optional<String> ehloName,
        boolean tls,
        List<String> commands,
        List<List<String>> commandGroups,
        boolean open) {
    public SmtpSessionRecord {
        commands = List.copyOf(commands);
        commandGroups = commandGroups.stream().map(List::copyOf).toList();
    }

    /** The verbs the client sent, upper case, in order: ["EHLO", "MAIL", "RCPT", "DATA", "QUIT"]. */
    public List<String> verbs() {
        return commands.stream().map(SmtpSessionRecord::verb).toList();
    }

    /** Whether the client sent a command with this verb (case-insensitive). */
    public boolean sent(String verb) {
        return verbs().contains(verb.toUpperCase(Locale.ROOT));
    }

    static String verb(String command) {
        int space = command.indexOf(' ');
        return (space < 0 ? command : command.substring(0, space)).toUpperCase(Locale.ROOT);
    }
}
