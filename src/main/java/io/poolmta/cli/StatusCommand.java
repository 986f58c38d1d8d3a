package io.poolmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code poolmta status}: delivery counters, webhook events pending and dead-lettered, and the
 * adaptive throttle of every (IP, provider).
 */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Delivery counters and adaptive throttling per source IP and mailbox provider.")
public final class StatusCommand implements Runnable {
    @Mixin
    OperatorOptions options;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public void run() {
        JsonNode status = options.client().get("/delivery");
        JsonNode webhooks = options.client().get("/events/webhooks");
        if (json) {
            ((ObjectNode) status).set("Webhooks", webhooks);
            Output.json(status);
            return;
        }
        System.out.printf(
                "delivered %d, bounced %d, deferred %d, queued %d, pending in the spool %d%n",
                status.path("Delivered").asLong(),
                status.path("Bounced").asLong(),
                status.path("Deferred").asLong(),
                status.path("Queued").asLong(),
                status.path("Pending").asLong());
        System.out.printf(
                "webhook events pending %d, dead-lettered %d (poolmta events webhooks)%n",
                webhooks.path("Pending").asLong(), webhooks.path("DeadLettered").asLong());
        // SITE: the receiving hosts of an unclassified destination ("other"), which is throttled on its own
        Output.table(
                status.path("Throttles"),
                new String[] {"IP", "PROVIDER", "SITE", "CONNECTIONS", "MAX", "THROTTLES", "DELIVERED", "PAUSED UNTIL"},
                new String[] {
                    "Ip",
                    "Provider",
                    "Site",
                    "ConnectionLimit",
                    "MaxConnections",
                    "Throttles",
                    "Delivered",
                    "PausedUntil"
                });
    }
}
