package io.poolmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code poolmta smtp-credentials create|list|delete}: SMTP AUTH credentials of an account. */
@Command(
        name = "smtp-credentials",
        mixinStandardHelpOptions = true,
        description = "SMTP submission credentials of an account (AUTH PLAIN/LOGIN).",
        subcommands = {
            SmtpCredentialsCommand.Create.class,
            SmtpCredentialsCommand.ListCredentials.class,
            SmtpCredentialsCommand.Delete.class
        })
public final class SmtpCredentialsCommand {
    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create SMTP credentials; prints JSON with Username and Password (shown only once).")
    static final class Create implements Runnable {
        @Mixin
        OperatorOptions options;

        @Option(names = "--account", required = true, paramLabel = "NAME")
        String account;

        @Override
        public void run() {
            JsonNode created = options.client()
                    .post(
                            "/accounts/" + AdminClient.segment(account) + "/smtp-credentials",
                            AccountCommand.JSON.createObjectNode());
            Output.json(created);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the SMTP user names of an account.")
    static final class ListCredentials implements Runnable {
        @Mixin
        OperatorOptions options;

        @Option(names = "--account", required = true, paramLabel = "NAME")
        String account;

        @Override
        public void run() {
            JsonNode result = options.client().get("/accounts/" + AdminClient.segment(account) + "/smtp-credentials");
            Output.table(result.path("SmtpCredentials"), new String[] {"USERNAME", "CREATED"}, new String[] {
                "Username", "CreatedAt"
            });
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Revoke SMTP credentials.")
    static final class Delete implements Runnable {
        @Mixin
        OperatorOptions options;

        @Parameters(paramLabel = "USERNAME")
        String username;

        @Override
        public void run() {
            options.client().delete("/smtp-credentials/" + AdminClient.segment(username));
            System.out.println("deleted " + username);
        }
    }
}
