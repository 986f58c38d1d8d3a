package io.poolmta.cli;

import io.poolmta.server.DataDirectory;
import io.poolmta.server.HostPort;
import io.poolmta.server.PoolMtaServer;
import io.poolmta.server.ServerConfig;
import io.poolmta.server.SubmissionOptions;
import io.poolmta.store.Database;
import io.poolmta.store.StoreException;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code poolmta serve}: runs the server until SIGTERM or Ctrl-C, then shuts down cleanly. */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Start PoolMTA (embedded database in the data directory, API on loopback by default).")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--data", paramLabel = "DIR", description = "Data directory (default: ./poolmta-data).")
    Path data;

    @Option(names = "--api", paramLabel = "HOST:PORT", description = "API listen address (default: 127.0.0.1:8580).")
    String api;

    @Option(
            names = "--smtp",
            paramLabel = "HOST:PORT",
            description = "SMTP submission address (default: 127.0.0.1:2587).")
    String smtp;

    @Option(
            names = "--smtps",
            paramLabel = "HOST:PORT",
            description =
                    "Also listen for SMTP submission with implicit TLS (SMTPS, e.g. 127.0.0.1:2465) (default: off).")
    String smtps;

    @Option(
            names = "--tls-certificate",
            paramLabel = "FILE",
            description = "PEM certificate chain for STARTTLS and SMTPS, with --tls-private-key "
                    + "(default: a generated self-signed one); re-read at the next handshake after it changes.")
    Path tlsCertificate;

    @Option(names = "--tls-private-key", paramLabel = "FILE", description = "PEM private key of --tls-certificate.")
    Path tlsPrivateKey;

    @Option(
            names = "--smtp-allow-cleartext-auth",
            description = "Offer and accept SMTP AUTH before STARTTLS (only for loopback-only set-ups; default: off).")
    boolean allowCleartextAuth;

    @Option(
            names = "--smtp-max-connections-per-address",
            paramLabel = "N",
            description = "Concurrent SMTP sessions from one client address; beyond it 421 (default: 100).")
    Integer maxConnectionsPerAddress;

    @Option(
            names = "--outbound",
            paramLabel = "MODE",
            description = "loopback-only (default: mail only to static routes on 127.0.0.0/8) or internet (MX lookup).")
    String outbound;

    @Option(
            names = "--spool-min-free-mb",
            paramLabel = "MIB",
            description = "Free space the spool leaves on its disk: a message that would leave less is refused "
                    + "(SMTP 451, API 429) (default: 64; 0: none).")
    Long spoolMinFreeMb;

    @Option(
            names = "--bounce-domain",
            paramLabel = "DOMAIN",
            description = "Domain of the return paths (the envelope sender on the wire), where bounces come back "
                    + "(default: bounces. and the host name).")
    String bounceDomain;

    @Option(
            names = "--feedback",
            paramLabel = "HOST:PORT",
            description = "Listen for bounce reports and complaints (inbound SMTP for the bounce domain's return "
                    + "paths, e.g. 0.0.0.0:25 behind its MX) (default: off).")
    String feedback;

    @Option(
            names = "--database",
            paramLabel = "URL",
            description =
                    "Shared control-plane database of a cluster, postgresql://HOST:PORT/DB?user=NAME&password=SECRET "
                            + "(default: the embedded database in the data directory, one node).")
    String database;

    @Option(
            names = "--node",
            paramLabel = "NAME",
            description = "This node's name in the cluster (default: the host name).")
    String node;

    @Option(
            names = "--node-link",
            paramLabel = "HOST:PORT",
            description = "Listen for the cluster's node link (other nodes hand over mail of pools whose IPs are "
                    + "here; TLS on the cluster key in the data directory's tls/cluster.p12) (default: off).")
    String nodeLink;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "JSON config file with keys data, api, smtp, outbound, hostname, spoolMinFreeMb, "
                    + "smtpAllowCleartextAuth, tlsCertificate, tlsPrivateKey, smtps, smtpMaxConnectionsPerAddress, ...")
    Path configFile;

    /** The submission flags layered over the config file's. */
    private SubmissionOptions submissionOptions(SubmissionOptions options) {
        if (smtps != null) {
            options = options.withSmtps(HostPort.parse(smtps));
        }
        if (tlsCertificate != null || tlsPrivateKey != null) {
            if (tlsCertificate == null || tlsPrivateKey == null) {
                throw new IllegalArgumentException("--tls-certificate and --tls-private-key go together");
            }
            options = options.withTls(tlsCertificate, tlsPrivateKey);
        }
        if (allowCleartextAuth) {
            options = options.withAllowCleartextAuth(true);
        }
        if (maxConnectionsPerAddress != null) {
            options = options.withMaxConnectionsPerAddress(maxConnectionsPerAddress);
        }
        return options;
    }

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
            if (bounceDomain != null) {
                config = config.withBounceDomain(bounceDomain);
            }
            config = config.withSubmission(submissionOptions(config.submission()));
            if (feedback != null) {
                config = config.withFeedback(config.feedback().withListener(HostPort.parse(feedback)));
            }
            if (database != null) {
                config = config.withCluster(config.cluster().withDatabase(database));
            }
            if (node != null) {
                config = config.withCluster(config.cluster().withNode(node));
            }
            if (nodeLink != null) {
                config = config.withCluster(config.cluster().withNodeLink(HostPort.parse(nodeLink)));
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
        } catch (StoreException e) {
            throw new CliException(e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            server.close();
                            stopped.countDown();
                        },
                        "poolmta-shutdown"));
        System.out.println("PoolMTA is running.");
        System.out.println(
                "  SES v2 API:  " + server.apiUrl() + "  (aws --endpoint-url " + server.apiUrl() + " sesv2 ...)");
        System.out.println("  Admin API:   " + server.apiUrl() + "/admin/v1  (used by ./poolmta account|ip|route)");
        System.out.println("  Console:     " + server.consoleUrl()
                + "  (accounts sign in with their access keys, the operator with the token in "
                + server.dataDirectory().root().resolve(DataDirectory.OPERATOR_FILE) + ")");
        System.out.println("  SMTP:        " + server.smtpAddress() + "  (submission: STARTTLS, AUTH PLAIN/LOGIN"
                + (config.submission().allowCleartextAuth() ? ", AUTH also without TLS)" : " after STARTTLS)"));
        server.smtpsAddress()
                .ifPresent(a -> System.out.println("  SMTPS:       " + a + "  (submission with implicit TLS)"));
        String bounceDomain = config.bounceDomain();
        server.feedbackAddress()
                .ifPresent(address ->
                        System.out.println("  Feedback:    " + address + " (return paths on " + bounceDomain + ")"));
        System.out.println("  Outbound:    " + config.outbound().text());
        System.out.println("  Data:        " + server.dataDirectory().root());
        System.out.println("  Node:        " + server.nodes().self() + "  (control plane: "
                + config.cluster().database().map(Database::redacted).orElse("embedded, in the data directory")
                + ")");
        System.out.println("Stop with Ctrl-C or SIGTERM.");
        System.out.flush();
        stopped.await();
        return 0;
    }
}
