package io.poolmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code poolmta warmup show IP}: an address's warm-up, per provider for managed-pool IPs. */
@Command(
        name = "warmup",
        mixinStandardHelpOptions = true,
        description = "Inspect IP warm-up.",
        subcommands = {WarmupCommand.Show.class})
public final class WarmupCommand {
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description =
                    "Show an IP's warm-up: plan position for standard IPs, level per mailbox provider for managed ones.")
    static final class Show implements Runnable {
        @Mixin
        OperatorOptions options;

        @Parameters(paramLabel = "IP")
        String ip;

        @Option(names = "--json", description = "Print JSON instead of text.")
        boolean json;

        @Override
        public void run() {
            JsonNode r = options.client().get("/warmup/" + AdminClient.segment(ip));
            if (json) {
                Output.json(r);
                return;
            }
            System.out.println(r.path("Ip").asText() + "  " + r.path("Role").asText() + "  pool "
                    + r.path("Pool").asText()
                    + (r.has("Account") ? "  account " + r.path("Account").asText() : "")
                    + (r.has("ScalingMode") ? "  " + r.path("ScalingMode").asText() : ""));
            JsonNode w = r.path("Warmup");
            if (!w.isMissingNode()) {
                System.out.println("warm-up: " + w.path("Status").asText() + " "
                        + w.path("Percentage").asInt() + "%"
                        + (w.has("DailyCap")
                                ? "  today " + w.path("SentToday").asLong() + " / "
                                        + cap(w.path("DailyCap").asLong())
                                : ""));
            }
            if (r.has("Providers")) {
                Output.table(
                        r.path("Providers"),
                        new String[] {"PROVIDER", "STATUS", "LEVEL", "CAP", "SENT TODAY", "LAST ACTIVE"},
                        new String[] {"Provider", "Status", "Level", "DailyCap", "SentToday", "LastActiveDay"});
            }
        }

        private static String cap(long cap) {
            return cap < 0 ? "no cap" : Long.toString(cap);
        }
    }
}
