package io.poolmta.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code poolmta} launcher's entry point. */
@Command(
        name = "poolmta",
        mixinStandardHelpOptions = true,
        version = "PoolMTA 0.1.0",
        description = "Self-hosted, SES v2 compatible email sending through dedicated IP pools.",
        subcommands = {
            DemoCommand.class,
            ServeCommand.class,
            AccountCommand.class,
            IpCommand.class,
            RouteCommand.class,
            SmtpCredentialsCommand.class,
            StatusCommand.class,
            AdvisorCommand.class,
            WarmupCommand.class,
            EventsCommand.class,
            IdentityCommand.class
        })
public final class PoolMtaCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new PoolMtaCommand());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof CliException cli2) {
                commandLine.getErr().println("poolmta: " + cli2.getMessage());
                return 1;
            }
            commandLine.getErr().println("poolmta: " + e);
            return 1;
        });
        return cli;
    }
}
