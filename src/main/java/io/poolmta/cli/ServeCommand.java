package io.poolmta.cli;

import io.poolmta.server.HostPort;
import io.poolmta.server.PoolMtaServer;
import io.poolmta.server.ServerConfig;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code poolmta serve}: runs the server until SIGTERM or Ctrl-C, then shuts down cleanly. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Start PoolMTA (embedded database in the data directory, API on loopback by default).")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: ./poolmta-data).")
    Path data;

    @Option(names = "--api", paramLabel = "HOST:PORT", description = "API listen address (default: 127.0.0.1:8580).")
    String api;

    @Option(names = "--smtp", paramLabel = "HOST:PORT", description = "SMTP submission address (default: 127.0.0.1:2587).")
    String smtp;

    @Option(names = "--outbound", paramLabel = "MODE",
            description = "loopback-only (default: mail only to static routes on 127.0.0.0/8) or internet (MX lookup).")
    String outbound;

    @Option(names = "--spool-min-free-mb", paramLabel = "MIB",
            description = "Free space the spool leaves on its disk: a message that would leave less is refused "
                    + "(SMTP 451, API 429) (default: 64; 0: none).")
    Long spoolMinFreeMb;

    @Option(names = "--config", paramLabel = "FILE",
            description = "JSON config file with keys data, api, smtp, outbound, hostname, spoolMinFreeMb, ...")
    Path configFile;

    @Override
    public Integer call() throws Exception {
        ServerConfig config;
        try {
            config = configFile != null ? ServerConfig.fromFile(configFile) : ServerConfig.defaults();
            if (data != null) {
                config = config.withDataDir(data);
            }
            if (api != null) {
                config = config.withApi(HostPort.parse(api));
            }
            if (smtp != null) {
                config = config.withSmtp(HostPort.parse(smtp));
            }
            if (outbound != null) {
                config = config.withOutbound(ServerConfig.Outbound.parse(outbound));
            }
            if (spoolMinFreeMb != null) {
                config = config.withSpoolMinFreeMb(spoolMinFreeMb);
            }
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage());
        }
        PoolMtaServer server;
        try {
            server = PoolMtaServer.start(config, Clock.systemUTC());
        } catch (BindException e) {
            throw new CliException("cannot listen on " + config.api() + ": " + e.getMessage()
                    + " (is another PoolMTA running? choose another address with --api)");
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "poolmta-shutdown"));
        System.out.println("PoolMTA is running.");
        System.out.println("  SES v2 API:  " + server.apiUrl() + "  (aws --endpoint-url " + server.apiUrl() + " sesv2 ...)");
        System.out.println("  Admin API:   " + server.apiUrl() + "/admin/v1  (used by ./poolmta account|ip|route)");
        System.out.println("  SMTP:        " + server.smtpAddress() + "  (submission: STARTTLS, AUTH PLAIN/LOGIN)");
        System.out.println("  Outbound:    " + config.outbound().text());
        System.out.println("  Data:        " + server.dataDirectory().root());
        System.out.println("Stop with Ctrl-C or SIGTERM.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
