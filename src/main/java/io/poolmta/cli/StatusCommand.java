package io.poolmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code poolmta status}: delivery counters, webhook events pending and dead-lettered, the
 * adaptive throttle of every (IP, provider), and every account, configuration set or shared-pool
 * use that reputation enforcement has under review (PROBATION) or paused (SHUTDOWN), and every
 * node of the cluster with its state (UP, or DOWN when its heartbeat stopped).
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
        JsonNode reputation = options.client().get("/reputation");
        JsonNode nodes = options.client().get("/nodes");
        if (json) {
            ((ObjectNode) status).set("Webhooks", webhooks);
            ((ObjectNode) status).set("Reputation", reputation);
            ((ObjectNode) status).set("Nodes", nodes.path("Nodes"));
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
        printEnforcement(reputation);
        // every node sharing the control plane (one on the embedded database), by its heartbeat
        Output.table(
                nodes.path("Nodes"),
                new String[] {"NODE", "STATE", "API", "SMTP", "LAST HEARTBEAT"},
                new String[] {"Name", "State", "Api", "Smtp", "LastHeartbeat"});
    }

    /** One line per account, configuration set or shared-pool use that is not HEALTHY. */
    private static void printEnforcement(JsonNode reputation) {
        int shown = 0;
        for (JsonNode a : reputation.path("Accounts")) {
            shown += line("account " + a.path("Name").asText(), a.path("Account"));
            shown += line("account " + a.path("Name").asText() + " on ses-shared-pool", a.path("SharedPool"));
        }
        for (JsonNode s : reputation.path("ConfigurationSets")) {
            shown += line(
                    "account " + s.path("AccountId").asText() + " configuration set "
                            + s.path("ConfigurationSet").asText(),
                    s);
        }
        if (shown == 0) {
            System.out.println("reputation: every account HEALTHY");
        }
    }

    private static int line(String what, JsonNode standing) {
        String status = standing.path("Status").asText("HEALTHY");
        if (status.equals("HEALTHY")) {
            return 0;
        }
        String action = status.equals("SHUTDOWN")
                ? (what.endsWith("ses-shared-pool") ? " (refused on the shared pool" : " (sending paused")
                        + "; poolmta account reinstate)"
                : (what.endsWith("ses-shared-pool") ? " (slowed on the shared pool)" : " (under review)");
        System.out.printf(
                "reputation: %s %s%s: %s%n",
                what, status, action, standing.path("Reason").asText());
        return 1;
    }
}
