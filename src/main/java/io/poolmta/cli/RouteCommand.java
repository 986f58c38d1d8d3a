package io.poolmta.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code poolmta route set|list|delete}: static next hops that override MX lookup. */
@Command(
        name = "route",
        mixinStandardHelpOptions = true,
        description = "Static routes: send mail for a domain to HOST:PORT instead of its MX hosts.",
        subcommands = {RouteCommand.Set.class, RouteCommand.ListRoutes.class, RouteCommand.Delete.class})
public final class RouteCommand {
    @Command(name = "set", mixinStandardHelpOptions = true, description = "Route DOMAIN to HOST:PORT.")
    static final class Set implements Runnable {
        @Mixin
        OperatorOptions options;

        @Parameters(index = "0", paramLabel = "DOMAIN")
        String domain;

        @Parameters(index = "1", paramLabel = "HOST:PORT")
        String nextHop;

        @Override
        public void run() {
            JsonNode route = options.client()
                    .put(
                            "/routes/" + AdminClient.segment(domain),
                            AccountCommand.JSON.createObjectNode().put("NextHop", nextHop));
            System.out.println(route.path("Domain").asText() + " -> "
                    + route.path("NextHop").asText());
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List static routes.")
    static final class ListRoutes implements Runnable {
        @Mixin
        OperatorOptions options;

        @Option(names = "--json", description = "Print JSON instead of a table.")
        boolean json;

        @Override
        public void run() {
            JsonNode result = options.client().get("/routes");
            if (json) {
                Output.json(result);
            } else {
                Output.table(
                        result.path("Routes"), new String[] {"DOMAIN", "NEXT HOP"}, new String[] {"Domain", "NextHop"});
            }
        }
    }

    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Remove the static route of DOMAIN.")
    static final class Delete implements Runnable {
        @Mixin
        OperatorOptions options;

        @Parameters(paramLabel = "DOMAIN")
        String domain;

        @Override
        public void run() {
            options.client().delete("/routes/" + AdminClient.segment(domain));
            System.out.println("deleted route for " + domain);
        }
    }
}
