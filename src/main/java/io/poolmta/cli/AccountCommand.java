package io.poolmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code poolmta account create NAME}, {@code account list} (with the sandbox state, quota and
 * pending production-access requests), {@code account production-access NAME [--max-24h N]
 * [--max-rate N]}, {@code account pause NAME}, {@code account resume NAME} and
 * {@code account reinstate NAME [--configuration-set SET | --shared-pool]}.
 */
@Command(
        name = "account",
        mixinStandardHelpOptions = true,
        description = "Manage accounts (tenants).",
        subcommands = {
            AccountCommand.Create.class,
            AccountCommand.ListAccounts.class,
            AccountCommand.ProductionAccess.class,
            AccountCommand.Pause.class,
            AccountCommand.Resume.class,
            AccountCommand.Reinstate.class
        })
public final class AccountCommand {
    static final ObjectMapper JSON = new ObjectMapper();

    private static String path(String name) {
        return "/accounts/" + AdminClient.segment(name);
    }

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create an account (in the sandbox); prints its AccountId, AccessKeyId and"
                    + " SecretAccessKey as JSON.")
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

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List accounts: sending, production access (or sandbox), quota, sent in the last"
                    + " 24 hours, and production-access requests (REVIEW PENDING: waiting for you).")
    static final class ListAccounts implements Runnable {
        @Mixin
        OperatorOptions options;

        @Option(names = "--json", description = "Print JSON instead of a table (with the details of requests).")
        boolean json;

        @Override
        public void run() {
            JsonNode result = options.client().get("/accounts");
            if (json) {
                Output.json(result);
                return;
            }
            ArrayNode rows = JSON.createArrayNode();
            for (JsonNode a : result.path("Accounts")) {
                ObjectNode row = ((ObjectNode) a.deepCopy());
                row.put("Access", a.path("ProductionAccessEnabled").asBoolean() ? "PRODUCTION" : "SANDBOX");
                row.put(
                        "Sending",
                        a.path("SendingEnabled").asBoolean()
                                ? "ENABLED"
                                : a.path("PausedByOperator").asBoolean() ? "PAUSED (operator)" : "PAUSED");
                row.put("Quota", limit(a.path("Max24HourSend")) + "/24h, " + limit(a.path("MaxSendRate")) + "/s");
                String review = a.path("Review").asText();
                row.put(
                        "Request",
                        review.isEmpty()
                                ? "-"
                                : review + " "
                                        + a.path("Details").path("MailType").asText() + " "
                                        + a.path("Details").path("WebsiteURL").asText());
                rows.add(row);
            }
            Output.table(
                    rows,
                    new String[] {"NAME", "ACCOUNT ID", "SENDING", "ACCESS", "QUOTA", "SENT 24H", "REQUEST"},
                    new String[] {"Name", "AccountId", "Sending", "Access", "Quota", "SentLast24Hours", "Request"});
        }

        private static String limit(JsonNode value) {
            double v = value.asDouble();
            if (v < 0) {
                return "unlimited";
            }
            return v == Math.rint(v) ? String.valueOf((long) v) : String.valueOf(v);
        }
    }

    @Command(
            name = "production-access",
            mixinStandardHelpOptions = true,
            description = "Take an account out of the sandbox (granting its pending request, if any) and set"
                    + " its quota. Without options: 1000000 per 24 hours and 500 per second, or the quota it"
                    + " already has.")
    static final class ProductionAccess implements Runnable {
        @Mixin
        OperatorOptions options;

        @Parameters(paramLabel = "NAME", description = "Account name.")
        String name;

        @Option(names = "--max-24h", paramLabel = "N", description = "Recipients per 24 hours (-1: no limit).")
        Long max24h;

        @Option(names = "--max-rate", paramLabel = "N", description = "Recipients per second (-1: no limit).")
        Double maxRate;

        @Override
        public void run() {
            ObjectNode body = JSON.createObjectNode();
            if (max24h != null) {
                body.put("Max24HourSend", max24h);
            }
            if (maxRate != null) {
                body.put("MaxSendRate", maxRate);
            }
            Output.json(options.client().post(path(name) + "/production-access", body));
        }
    }

    /** Pause and resume: the operator's account-wide sending switch (admin PUT /accounts/NAME/sending). */
    abstract static class SendingSwitch implements Runnable {
        @Mixin
        OperatorOptions options;

        @Parameters(paramLabel = "NAME", description = "Account name.")
        String name;

        abstract boolean sendingEnabled();

        @Override
        public void run() {
            Output.json(options.client()
                    .put(path(name) + "/sending", JSON.createObjectNode().put("SendingEnabled", sendingEnabled())));
        }
    }

    @Command(
            name = "pause",
            mixinStandardHelpOptions = true,
            description = "Pause all sending of an account (the account cannot resume it itself).")
    static final class Pause extends SendingSwitch {
        @Override
        boolean sendingEnabled() {
            return false;
        }
    }

    @Command(
            name = "resume",
            mixinStandardHelpOptions = true,
            description = "Resume sending of an account (whoever paused it).")
    static final class Resume extends SendingSwitch {
        @Override
        boolean sendingEnabled() {
            return true;
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
