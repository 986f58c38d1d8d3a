package io.poolmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code poolmta identity list|show|verify --account NAME}: an account's sending identities, the DNS
 * records each needs (ready to paste into a zone), and the operator vouching for one.
 */
@Command(
        name = "identity",
        mixinStandardHelpOptions = true,
        description = "Sending identities (domains and addresses) of an account, and their DKIM records.",
        subcommands = {IdentityCommand.ListIdentities.class, IdentityCommand.Show.class, IdentityCommand.Verify.class})
public final class IdentityCommand {
    static String path(String account) {
        return "/accounts/" + AdminClient.segment(account) + "/identities";
    }

    @Command(
            name = "list",
            mixinStandardHelpOptions = true,
            description = "List the account's identities; VERIFIED BY says DNS, or OPERATOR for vouched ones.")
    static final class ListIdentities implements Runnable {
        @Mixin
        OperatorOptions options;

        @Option(names = "--account", required = true, paramLabel = "NAME")
        String account;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        @Override
        public void run() {
            JsonNode result = options.client().get(path(account));
            if (json) {
                Output.json(result);
                return;
            }
            Output.table(
                    result.path("Identities"),
                    new String[] {"IDENTITY", "TYPE", "STATUS", "VERIFIED BY", "DKIM", "SIGNING"},
                    new String[] {"Identity", "Type", "VerificationStatus", "VerifiedBy", "DkimStatus", "SigningEnabled"
                    });
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = "Show one identity and the DNS records to publish for it, as zone-file lines.")
    static final class Show implements Runnable {
        @Mixin
        OperatorOptions options;

        @Parameters(paramLabel = "IDENTITY")
        String identity;

        @Option(names = "--account", required = true, paramLabel = "NAME")
        String account;

        @Option(names = "--json", description = "Print JSON.")
        boolean json;

        @Override
        public void run() {
            JsonNode i = options.client().get(path(account) + "/" + AdminClient.segment(identity));
            if (json) {
                Output.json(i);
                return;
            }
            print(i);
        }
    }

    @Command(
            name = "verify",
            mixinStandardHelpOptions = true,
            description = "Mark the identity verified without DNS, on the operator's word (internal domains, tests).")
    static final class Verify implements Runnable {
        @Mixin
        OperatorOptions options;

        @Parameters(paramLabel = "IDENTITY")
        String identity;

        @Option(names = "--account", required = true, paramLabel = "NAME")
        String account;

        @Override
        public void run() {
            JsonNode i = options.client()
                    .post(
                            path(account) + "/" + AdminClient.segment(identity) + "/verify",
                            AccountCommand.JSON.createObjectNode());
            System.out.println(i.path("Identity").asText() + " is verified by the operator ("
                    + i.path("VerificationStatus").asText() + ")");
        }
    }

    static void print(JsonNode i) {
        System.out.println("Identity:      " + i.path("Identity").asText() + " ("
                + i.path("Type").asText() + ")");
        System.out.println("Verification:  " + i.path("VerificationStatus").asText()
                + (i.path("VerifiedBy").asText("-").equals("-")
                        ? ""
                        : ", by " + i.path("VerifiedBy").asText()));
        if (i.has("Selector")) {
            System.out.println("DKIM:          " + i.path("DkimStatus").asText() + ", signing "
                    + (i.path("SigningEnabled").asBoolean() ? "on" : "off") + ", selector "
                    + i.path("Selector").asText()
                    + ", " + i.path("KeyLength").asText() + " ("
                    + i.path("SigningAttributesOrigin").asText() + ")");
        }
        if (i.has("NextSelector")) {
            System.out.println(
                    "Key rotation:  next selector " + i.path("NextSelector").asText()
                            + " takes over once its record is found; then remove the old selector's record");
        }
        if (i.has("MailFromDomain")) {
            System.out.println("MAIL FROM:     " + i.path("MailFromDomain").asText() + ", "
                    + i.path("MailFromDomainStatus").asText() + " (on MX failure: "
                    + i.path("BehaviorOnMxFailure").asText() + ")");
        }
        if (i.has("ConfigurationSetName")) {
            System.out.println(
                    "Default set:   " + i.path("ConfigurationSetName").asText());
        }
        JsonNode records = i.path("DnsRecords");
        if (records.isEmpty()) {
            System.out.println("DNS records:   none (an address is signed with its domain identity's key)");
            return;
        }
        System.out.println();
        System.out.println("Publish in the zone of " + i.path("Identity").asText()
                + (i.has("MailFromDomain") ? " (the MX and SPF records at its MAIL FROM domain)" : "") + ":");
        for (JsonNode r : records) {
            System.out.println();
            System.out.println("  name:  " + r.path("Name").asText());
            System.out.println("  type:  " + r.path("Type").asText());
            System.out.println("  value: " + r.path("Value").asText());
        }
        System.out.println();
        System.out.println("Zone-file lines:");
        for (JsonNode r : records) {
            System.out.println(r.path("ZoneLine").asText());
        }
    }
}
