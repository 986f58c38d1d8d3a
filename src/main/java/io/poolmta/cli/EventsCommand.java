package io.poolmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code poolmta events webhooks|replay-dead-letter}: webhook delivery backlog and dead letters. */
@Command(
        name = "events",
        mixinStandardHelpOptions = true,
        description = "Webhook event delivery: what is pending or dead-lettered, and replaying dead letters.",
        subcommands = {EventsCommand.Webhooks.class, EventsCommand.ReplayDeadLetter.class})
public final class EventsCommand {
    @Command(
            name = "webhooks",
            mixinStandardHelpOptions = true,
            description = "Webhook events pending and dead-lettered, per destination.")
    static final class Webhooks implements Runnable {
        @Mixin
        OperatorOptions options;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        @Override
        public void run() {
            JsonNode result = options.client().get("/events/webhooks");
            if (json) {
                Output.json(result);
                return;
            }
            System.out.printf(
                    "webhook events pending %d, dead-lettered %d%n",
                    result.path("Pending").asLong(), result.path("DeadLettered").asLong());
            Output.table(
                    result.path("Destinations"),
                    new String[] {
                        "ACCOUNT ID", "CONFIGURATION SET", "DESTINATION", "PENDING", "DEAD-LETTERED", "LAST ERROR"
                    },
                    new String[] {"AccountId", "ConfigurationSet", "Destination", "Pending", "DeadLettered", "LastError"
                    });
        }
    }

    @Command(
            name = "replay-dead-letter",
            mixinStandardHelpOptions = true,
            description =
                    "Queue dead-lettered webhook events again (all, or those of one account, set or destination).")
    static final class ReplayDeadLetter implements Runnable {
        @Mixin
        OperatorOptions options;

        @Option(names = "--account", paramLabel = "NAME", description = "Only this account's destinations.")
        String account;

        @Option(names = "--configuration-set", paramLabel = "SET", description = "Only destinations of this set.")
        String set;

        @Option(names = "--destination", paramLabel = "NAME", description = "Only destinations with this name.")
        String destination;

        @Override
        public void run() {
            ObjectNode body = AccountCommand.JSON.createObjectNode();
            if (account != null) {
                body.put("Account", account);
            }
            if (set != null) {
                body.put("ConfigurationSet", set);
            }
            if (destination != null) {
                body.put("Destination", destination);
            }
            JsonNode result = options.client().post("/events/webhooks/dead-letter/replay", body);
            System.out.println("replayed " + result.path("Replayed").asLong() + " webhook event(s)");
        }
    }
}
