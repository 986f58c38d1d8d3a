package io.poolmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code poolmta advisor [ACCOUNT]}: the shared-or-dedicated advisor's report (GET /advisor). */
@Command(
        name = "advisor",
        mixinStandardHelpOptions = true,
        description = "Shared pool or dedicated IPs: recommendations from the last 30 days of volume, with their"
                + " figures; dedicated IPs cooling per mailbox provider.")
public final class AdvisorCommand implements Runnable {
    @Mixin
    OperatorOptions options;

    @Parameters(paramLabel = "ACCOUNT", arity = "0..1", description = "One account (default: every account).")
    String account;

    @Option(
            names = "--threshold",
            paramLabel = "N",
            description = "Emails an IP must send a provider within one day at least once in the window (default 300).")
    Integer threshold;

    @Option(names = "--days", paramLabel = "N", description = "The window in days (default 30).")
    Integer days;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public void run() {
        List<String> query = new ArrayList<>();
        if (account != null) {
            query.add("Account=" + AdminClient.segment(account));
        }
        if (threshold != null) {
            query.add("DailyThreshold=" + threshold);
        }
        if (days != null) {
            query.add("Days=" + days);
        }
        JsonNode report = options.client().get("/advisor" + (query.isEmpty() ? "" : "?" + String.join("&", query)));
        if (json) {
            Output.json(report);
            return;
        }
        System.out.println("window " + report.path("FirstDay").asText() + " to "
                + report.path("LastDay").asText() + " (complete UTC days); an IP cools for a provider it never sent "
                + report.at("/Thresholds/DailyThreshold").asLong() + " in one day");
        for (JsonNode a : report.path("Accounts")) {
            JsonNode v = a.path("Volume");
            System.out.println();
            System.out.println(
                    a.path("Account").asText() + ": " + a.path("Recommendation").asText());
            System.out.printf(
                    "  %d sent, %.1f a day (std dev %.1f, variation %.2f), busiest day %d, %d active day(s),"
                            + " %d dedicated IP(s)%n",
                    v.path("Total").asLong(),
                    v.path("MeanPerDay").asDouble(),
                    v.path("StdDevPerDay").asDouble(),
                    v.path("CoefficientOfVariation").asDouble(),
                    v.path("MaxPerDay").asLong(),
                    v.path("ActiveDays").asInt(),
                    a.path("DedicatedIps").asInt());
            for (JsonNode reason : a.path("Reasons")) {
                System.out.println("  - " + reason.asText());
            }
            if (!a.path("ConfigurationSets").isEmpty()) {
                Output.table(
                        a.path("ConfigurationSets"),
                        new String[] {"SET", "POOL", "SENT", "BOUNCED", "COMPLAINED", "ISOLATE"},
                        new String[] {"Name", "Pool", "Sent", "Bounced", "Complained", "Isolate"});
            }
            if (!a.path("IpProviders").isEmpty()) {
                Output.table(
                        a.path("IpProviders"),
                        new String[] {"IP", "PROVIDER", "STATUS", "MAX/DAY", "DAYS AT THRESHOLD", "LAST", "TOTAL"},
                        new String[] {
                            "Ip", "Provider", "Status", "MaxPerDay", "DaysAtThreshold", "LastDayAtThreshold", "Total"
                        });
            }
        }
    }
}
