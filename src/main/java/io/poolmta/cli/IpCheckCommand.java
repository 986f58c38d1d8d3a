package io.poolmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code poolmta ip check IP}: the egress self-test of one sending address, as receivers see it:
 * bind, PTR and EHLO name, forward-confirmed reverse DNS, and which accounts' domains' SPF covers it.
 * Exits 0 whatever it finds; the report says what is wrong.
 */
@Command(
        name = "check",
        mixinStandardHelpOptions = true,
        description = "Check one sending address: bind, PTR = EHLO name, forward-confirmed DNS, SPF of each"
                + " account's From and MAIL FROM domains.")
final class IpCheckCommand implements Runnable {
    @Mixin
    OperatorOptions options;

    @Parameters(paramLabel = "IP")
    String ip;

    @Option(names = "--json", description = "Print JSON.")
    boolean json;

    @Override
    public void run() {
        JsonNode r = options.client().get("/ips/" + AdminClient.segment(ip) + "/check");
        if (json) {
            Output.json(r);
            return;
        }
        System.out.println("Address:           " + r.path("Ip").asText()
                + (r.path("Registered").asBoolean() ? "" : " (not a registered sending address)"));
        System.out.println("Can bind:          " + yesNo(r.path("CanBind")));
        System.out.println("EHLO name:         "
                + (r.path("EhloName").asText().isEmpty()
                        ? "-"
                        : r.path("EhloName").asText()));
        System.out.println("PTR:               " + (r.path("PtrNames").isEmpty() ? "none" : join(r.path("PtrNames"))));
        System.out.println("PTR = EHLO name:   " + yesNo(r.path("PtrMatchesEhlo")));
        System.out.println("Forward-confirmed: " + yesNo(r.path("ForwardConfirmed")));
        System.out.println();
        if (r.path("Spf").isEmpty()) {
            System.out.println("SPF: no identities yet");
        } else {
            Output.table(
                    r.path("Spf"),
                    new String[] {"ACCOUNT", "IDENTITY", "DOMAIN", "USE", "SPF", "COVERS"},
                    new String[] {"Account", "Identity", "Domain", "Use", "Result", "Covers"});
        }
        System.out.println();
        if (r.path("Problems").isEmpty()) {
            System.out.println("No problems found.");
        } else {
            System.out.println("Problems:");
            r.path("Problems").forEach(p -> System.out.println("  - " + p.asText()));
        }
    }

    private static String yesNo(JsonNode value) {
        return value.asBoolean() ? "yes" : "no";
    }

    private static String join(JsonNode list) {
        StringBuilder out = new StringBuilder();
        list.forEach(n -> out.append(out.isEmpty() ? "" : ", ").append(n.asText()));
        return out.toString();
    }
}
