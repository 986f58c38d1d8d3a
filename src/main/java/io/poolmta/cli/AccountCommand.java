package io.poolmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code poolmta account create NAME}, {@code poolmta account list} and
 * {@code poolmta account reinstate NAME [--configuration-set SET | --shared-pool]}.
 */
@Command(
        name = "account",
        mixinStandardHelpOptions = true,
        description = "Manage accounts (tenants).",
        subcommands = {AccountCommand.Create.class, AccountCommand.ListAccounts.class, AccountCommand.Reinstate.class})
public final class AccountCommand {
    static final ObjectMapper JSON = new ObjectMapper();

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create an account; prints its AccountId, AccessKeyId and SecretAccessKey as JSON.")
    static final class Create implements Runnable {
        @Mixin
        OperatorOptions options;

        @Parameters(paramLabel = "NAME", description = "Account name: letters, digits, '.', '_', '-' (1-64).")
        String name;

        @Override
        public void run() {
            ObjectNode body = JSON.createObjectNode().put("Name", name);
            JsonNode created = options.client().post("/accounts", body);
            Output.json(created);
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List accounts.")
    static final class ListAccounts implements Runnable {
        @Mixin
        OperatorOptions options;

        @picocli.CommandLine.Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        @Override
        public void run() {
            JsonNode result = options.client().get("/accounts");
            if (json) {
                Output.json(result);
                return;
            }
            Output.table(result.path("Accounts"), new String[] {"NAME", "ACCOUNT ID", "SENDING"}, new String[] {
                "Name", "AccountId", "SendingEnabled"
            });
        }
    }

    @Command(
            name = "reinstate",
            mixinStandardHelpOptions = true,
            description = "Lift a reputation pause (SHUTDOWN) of an account, one of its configuration sets, or its"
                    + " use of the shared pool, and give it a fresh start; prints the standing after it.")
    static final class Reinstate implements Runnable {
        @Mixin
        OperatorOptions options;

        @Parameters(paramLabel = "NAME", description = "Account name.")
        String name;

        @Option(names = "--configuration-set", paramLabel = "SET", description = "Reinstate this configuration set.")
        String configurationSet;

        @Option(names = "--shared-pool", description = "Reinstate the account's use of ses-shared-pool.")
        boolean sharedPool;

        @Override
        public void run() {
            ObjectNode body = JSON.createObjectNode();
            if (configurationSet != null) {
                body.put("ConfigurationSet", configurationSet);
            }
            if (sharedPool) {
                body.put("SharedPool", true);
            }
            Output.json(options.client().post("/accounts/" + name + "/reinstate", body));
        }
    }
}
