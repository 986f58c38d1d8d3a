package io.poolmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code poolmta ip add|list|remove|check}: the operator's sending addresses. */
@Command(
        name = "ip",
        mixinStandardHelpOptions = true,
        description = "Manage sending IP addresses.",
        subcommands = {
            IpCommand.Add.class,
            IpCommand.ListIps.class,
            IpCommand.Remove.class,
            IpCommand.PauseWarmup.class,
            IpCommand.ResumeWarmup.class,
            IpCheckCommand.class
        })
public final class IpCommand {
    private static final String[] HEADERS = {"IP", "ROLE", "ACCOUNT", "POOL", "EHLO", "NODE", "WARMUP"};

    @Command(
            name = "add",
            mixinStandardHelpOptions = true,
            description =
                    "Lease IPs to an account (they start in ses-default-dedicated-pool), or add them to the shared pool or the reserve; "
                            + "the IPs are registered on the node this command talks to.")
    static final class Add implements Runnable {
        @Mixin
        OperatorOptions options;

        @Parameters(paramLabel = "IP", arity = "1..*", description = "IPv4 addresses this host can send from.")
        List<String> ips;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Role role;

        @Option(names = "--ehlo", paramLabel = "HOSTNAME", description = "EHLO name (the PTR) of these IPs.")
        String ehlo;

        static final class Role {
            @Option(names = "--account", paramLabel = "NAME", description = "Lease to this account (dedicated IPs).")
            String account;

            @Option(names = "--shared", description = "Put in ses-shared-pool, shared by all accounts.")
            boolean shared;

            @Option(names = "--reserve", description = "Keep in the reserve that managed pools draw from.")
            boolean reserve;
        }

        @Override
        public void run() {
            ObjectNode body = AccountCommand.JSON.createObjectNode();
            ArrayNode list = body.putArray("Ips");
            ips.forEach(list::add);
            if (role.account != null) {
                body.put("Role", "DEDICATED").put("Account", role.account);
            } else {
                body.put("Role", role.shared ? "SHARED" : "RESERVE");
            }
            if (ehlo != null) {
                body.put("Ehlo", ehlo);
            }
            JsonNode added = options.client().post("/ips", body);
            printTable(added);
        }
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List every IP with its role, account, pool and node.")
    static final class ListIps implements Runnable {
        @Mixin
        OperatorOptions options;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        @Override
        public void run() {
            JsonNode result = options.client().get("/ips");
            if (json) {
                Output.json(result);
            } else {
                printTable(result);
            }
        }
    }

    @Command(
            name = "remove",
            mixinStandardHelpOptions = true,
            description = "Take an IP out of service (a dedicated IP must be in ses-default-dedicated-pool).")
    static final class Remove implements Runnable {
        @Mixin
        OperatorOptions options;

        @Parameters(paramLabel = "IP")
        String ip;

        @Override
        public void run() {
            options.client().delete("/ips/" + AdminClient.segment(ip));
            System.out.println("removed " + ip);
        }
    }

    /** pause-warmup and resume-warmup: the same call to a different admin action. */
    abstract static class WarmupSwitch implements Runnable {
        @Mixin
        OperatorOptions options;

        @Parameters(paramLabel = "IP")
        String ip;

        abstract String action();

        @Override
        public void run() {
            printTable(options.client()
                    .post(
                            "/ips/" + AdminClient.segment(ip) + "/warmup/" + action(),
                            AccountCommand.JSON.createObjectNode()));
        }
    }

    @Command(
            name = "pause-warmup",
            mixinStandardHelpOptions = true,
            description = "Hold a dedicated IP's warm-up where it stands (its percentage and daily cap stay).")
    static final class PauseWarmup extends WarmupSwitch {
        @Override
        String action() {
            return "pause";
        }
    }

    @Command(
            name = "resume-warmup",
            mixinStandardHelpOptions = true,
            description = "Let a paused warm-up go on from where it stood.")
    static final class ResumeWarmup extends WarmupSwitch {
        @Override
        String action() {
            return "resume";
        }
    }

    static void printTable(JsonNode result) {
        ArrayNode rows = AccountCommand.JSON.createArrayNode();
        for (JsonNode ip : result.path("Ips")) {
            ObjectNode row = ((ObjectNode) ip).deepCopy();
            if (ip.has("WarmupStatus")) {
                row.put(
                        "Warmup",
                        ip.get("WarmupStatus").asText() + " "
                                + ip.get("WarmupPercentage").asInt() + "%"
                                + (ip.path("WarmupPaused").asBoolean() ? " (paused)" : ""));
            }
            rows.add(row);
        }
        Output.table(rows, HEADERS, new String[] {"Ip", "Role", "Account", "Pool", "Ehlo", "Node", "Warmup"});
    }
}
