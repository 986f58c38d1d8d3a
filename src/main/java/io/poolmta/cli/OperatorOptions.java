package io.poolmta.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** How an operator command finds the server: the data directory, or an explicit URL and token. */
public final class OperatorOptions {
    @Option(
            names = "--data",
            paramLabel = "DIR",
            description = "Data directory of the server (default: ./poolmta-data).")
    Path data = Path.of("poolmta-data");

    @Option(names = "--server", paramLabel = "URL", description = "Server URL (default: read from DIR/server.json).")
    String server;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "Operator token (default: $POOLMTA_OPERATOR_TOKEN, else DIR/operator.json).")
    String token;

    AdminClient client() {
        return AdminClient.locate(data, server, token);
    }
}
