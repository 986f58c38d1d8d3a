package io.poolmta.cli;

import io.poolmta.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;

/**
 * One in-process run of the {@code poolmta} command line: its exit code, what it printed on
 * standard output (the commands print through {@code System.out}) and picocli's error stream.
 *
 * @param exit the exit code
 * @param out standard output
 * @param err the error stream
 */
record CliRun(int exit, String out, String err) {
    /** Runs {@code args}; one run at a time, since {@code System.out} is the process's. */
    static synchronized CliRun of(String... args) {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            var cli = PoolMtaCommand.commandLine();
            cli.setErr(new PrintWriter(err, true));
            int exit = cli.execute(args);
            return new CliRun(exit, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(saved);
        }
    }

    /** Runs {@code args} against {@code server} as its operator ({@code --server URL --token TOKEN} added). */
    static CliRun asOperator(TestServer server, String... args) {
        String[] all = new String[args.length + 4];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--server";
        all[args.length + 1] = server.url();
        all[args.length + 2] = "--token";
        all[args.length + 3] = server.operatorToken();
        return of(all);
    }
}
