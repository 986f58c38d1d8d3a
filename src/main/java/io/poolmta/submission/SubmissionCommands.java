package io.poolmta.submission;

import org.subethamail.smtp.internal.server.CommandHandler;

/**
 * The submission server's command table: SubEthaSMTP's verbs, with the requirements put on as
 * wrappers (DESIGN §5) rather than checks inside the verbs.
 *
 * <pre>
 * EHLO   ours: PIPELINING, SIZE, 8BITMIME, STARTTLS, AUTH PLAIN LOGIN
 * AUTH   [RequireTls unless allowCleartextAuth] → ThrottledAuth → SubEthaSMTP's AUTH
 * MAIL   RequireAuth → SizeParameter (SIZE= checked against maxMessageBytes) → BodyParameter (BODY=
 *        7BIT or 8BITMIME, remembered for the header check) → SubEthaSMTP's MAIL
 * RCPT   RequireAuth → SubEthaSMTP's RCPT
 * DATA   RequireAuth → DataEndsTransaction → BulkDataCommand (SubEthaSMTP's DATA, read in bulk)
 * BDAT   not offered (CHUNKING is not advertised)
 * </pre>
 */
final class SubmissionCommands {
    private SubmissionCommands() {}

    static void install(CommandHandler commands, SubmissionSettings settings, AuthThrottle throttle) {
        commands.addCommand(new EhloCommand(settings));
        ThrottledAuthCommand auth = new ThrottledAuthCommand(commands.getCommand("AUTH"), throttle);
        commands.addCommand(settings.allowCleartextAuth() ? auth : new RequireTlsCommand(auth));
        commands.addCommand(new RequireAuthCommand(new SizeParameterCommand(
                new BodyParameterCommand(commands.getCommand("MAIL")), settings.maxMessageBytes())));
        commands.addCommand(new RequireAuthCommand(commands.getCommand("RCPT")));
        commands.addCommand(new RequireAuthCommand(new DataEndsTransactionCommand(new BulkDataCommand())));
        commands.addCommand(new NotOfferedCommand("BDAT"));
    }
}
