package io.poolmta.delivery.smtp;

import io.poolmta.egress.SourceAddress;
import io.poolmta.message.TlsPolicy;
import io.poolmta.nexthop.NextHop;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import javax.net.ssl.SSLSocketFactory;

/**
 * Opens a session ready for mail: tries the hosts in order (each IPv4 address of a host name in
 * turn) from the source address, reads the greeting, says EHLO (HELO if EHLO is refused) and
 * STARTTLS when offered, then EHLO again.
 * <p>
 * A host is skipped, after a polite QUIT where the dialogue allows it, when the connection is
 * refused or times out, the greeting is missing or negative, EHLO and HELO are refused, or TLS is
 * required and not available. With {@link TlsPolicy#OPTIONAL} a failed TLS handshake is retried
 * once in clear on the same address (as Postfix does). When no host takes the session the result
 * is one made-up 421 reply naming every host tried and what went wrong there. Never throws for
 * network or protocol failures.
 */
final class SmtpConnector {
    sealed interface Outcome permits Ready, Unreachable {}

    record Ready(SmtpSession session) implements Outcome, Attempt {}

    record Unreachable(SmtpReply reply) implements Outcome {}

    private sealed interface Attempt permits Ready, HostFailure {}

    /** Why one host (address) could not take the session; {@code status} is the enhanced code. */
    private record HostFailure(String host, String status, String reason, boolean tlsHandshake) implements Attempt {
        SmtpReply reply() {
            return new SmtpReply(Phase.MADE_UP_CODE, status + " " + host + ": " + reason);
        }
    }

    /** The host answered, but not in a way that lets mail through; QUIT and move on. */
    private static final class HostRefused extends Exception {
        private final String status;

        HostRefused(String status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }
    }

    private final SmtpClientSettings settings;
    private final SSLSocketFactory tlsFactory;
    private final SmtpClientListener listener;

    SmtpConnector(SmtpClientSettings settings, SSLSocketFactory tlsFactory, SmtpClientListener listener) {
        this.settings = settings;
        this.tlsFactory = tlsFactory;
        this.listener = listener;
    }

    Outcome connect(SourceAddress source, List<NextHop> hosts, TlsPolicy policy) {
        InetAddress bindTo;
        try {
            bindTo = InetAddress.getByAddress(octets(source.ip().text()));
        } catch (UnknownHostException e) {
            return new Unreachable(new SmtpReply(Phase.MADE_UP_CODE, "4.4.0 bad source address " + source.ip()));
        }
        List<HostFailure> failures = new ArrayList<>();
        for (NextHop hop : hosts) {
            if (hop.port() < 1 || hop.port() > 65535) {
                failures.add(failed(source, new HostFailure(hop.toString(), "4.4.4", "invalid port", false)));
                continue;
            }
            List<InetAddress> addresses;
            try {
                addresses = Arrays.stream(InetAddress.getAllByName(hop.host()))
                        .filter(a -> a instanceof Inet4Address)
                        .toList();
            } catch (UnknownHostException e) {
                failures.add(failed(source, new HostFailure(hop.toString(), "4.4.4", "host not found", false)));
                continue;
            }
            if (addresses.isEmpty()) {
                failures.add(failed(source, new HostFailure(hop.toString(), "4.4.4", "no IPv4 address", false)));
            }
            for (InetAddress address : addresses) {
                Attempt attempt = attempt(source, bindTo, hop, address, policy, true);
                if (attempt instanceof HostFailure failure && failure.tlsHandshake() && policy == TlsPolicy.OPTIONAL) {
                    failures.add(failed(source, failure));
                    attempt = attempt(source, bindTo, hop, address, policy, false);
                }
                switch (attempt) {
                    case Ready ready -> {
                        listener.connected(
                                source,
                                ready.session().remoteAddress(),
                                ready.session().tls());
                        return ready;
                    }
                    case HostFailure failure -> failures.add(failed(source, failure));
                }
            }
        }
        return new Unreachable(summary(failures));
    }

    private Attempt attempt(
            SourceAddress source,
            InetAddress bindTo,
            NextHop hop,
            InetAddress address,
            TlsPolicy policy,
            boolean allowTls) {
        String host = label(hop, address);
        SmtpConnection connection;
        try {
            connection = SmtpConnection.open(
                    bindTo,
                    new InetSocketAddress(address, hop.port()),
                    settings.connectTimeout(),
                    settings.commandTimeout());
        } catch (IOException e) {
            return connectFailure(host, source, e);
        }
        Phase phase = Phase.GREETING;
        try {
            ServerReply greeting = connection.readReply(settings.commandTimeout());
            if (!greeting.completion()) {
                throw new HostRefused("4.4.0", "greeted with " + greeting);
            }
            phase = Phase.EHLO;
            EhloCapabilities capabilities = hello(connection, source);
            if (allowTls && capabilities.startTls()) {
                phase = Phase.STARTTLS;
                connection.send("STARTTLS");
                ServerReply reply = connection.readReply(settings.commandTimeout());
                if (reply.code() == 220) {
                    try {
                        connection.startTls(tlsFactory, hop.host(), settings.commandTimeout());
                    } catch (IOException e) {
                        connection.close();
                        String reason = e instanceof SocketTimeoutException
                                ? "TLS handshake timeout after " + SmtpClientSettings.brief(settings.commandTimeout())
                                : "TLS handshake failed: " + e.getMessage();
                        return new HostFailure(host, "4.7.5", reason, true);
                    }
                    phase = Phase.EHLO;
                    capabilities = hello(connection, source);
                } else if (policy == TlsPolicy.REQUIRE) {
                    throw new HostRefused("4.7.4", "TLS required but STARTTLS refused: " + reply);
                }
            }
            if (policy == TlsPolicy.REQUIRE && !connection.tls()) {
                throw new HostRefused("4.7.4", "TLS required but not offered by host");
            }
            return new Ready(new SmtpSession(connection, capabilities, settings, listener, source));
        } catch (HostRefused e) {
            SmtpSession.quit(connection, settings);
            connection.close();
            return new HostFailure(host, e.status, e.getMessage(), false);
        } catch (IOException e) {
            connection.close();
            String text = phase.failure(e, settings.commandTimeout()).text();
            int space = text.indexOf(' ');
            return new HostFailure(host, text.substring(0, space), text.substring(space + 1), false);
        }
    }

    /** EHLO, or HELO when the server refuses EHLO with 5xx; the extensions it offers. */
    private EhloCapabilities hello(SmtpConnection connection, SourceAddress source) throws IOException, HostRefused {
        connection.send("EHLO " + source.ehloName());
        ServerReply ehlo = connection.readReply(settings.commandTimeout());
        if (ehlo.completion()) {
            return EhloCapabilities.parse(ehlo.lines());
        }
        if (ehlo.code() < 500) {
            throw new HostRefused("4.4.0", "EHLO refused: " + ehlo);
        }
        connection.send("HELO " + source.ehloName());
        ServerReply helo = connection.readReply(settings.commandTimeout());
        if (helo.completion()) {
            return EhloCapabilities.NONE;
        }
        throw new HostRefused("4.4.0", "EHLO and HELO refused: " + helo);
    }

    private HostFailure connectFailure(String host, SourceAddress source, IOException e) {
        return switch (e) {
            case BindException b ->
                new HostFailure(
                        host, "4.4.0", "cannot bind source address " + source.ip() + ": " + b.getMessage(), false);
            case NoRouteToHostException n -> new HostFailure(host, "4.4.1", "no route to host", false);
            case ConnectException c ->
                new HostFailure(
                        host,
                        "4.4.1",
                        c.getMessage() != null
                                        && c.getMessage()
                                                .toLowerCase(Locale.ROOT)
                                                .contains("refused")
                                ? "connection refused"
                                : "cannot connect: " + c.getMessage(),
                        false);
            case SocketTimeoutException t ->
                new HostFailure(
                        host,
                        "4.4.1",
                        "connect timeout after " + SmtpClientSettings.brief(settings.connectTimeout()),
                        false);
            default -> new HostFailure(host, "4.4.1", "cannot connect: " + e.getMessage(), false);
        };
    }

    private HostFailure failed(SourceAddress source, HostFailure failure) {
        listener.hostFailed(source, failure.host(), failure.reply());
        return failure;
    }

    private static SmtpReply summary(List<HostFailure> failures) {
        if (failures.isEmpty()) {
            return new SmtpReply(Phase.MADE_UP_CODE, "4.4.4 no host to deliver to");
        }
        String status = failures.getLast().status();
        return new SmtpReply(
                Phase.MADE_UP_CODE,
                status + " "
                        + failures.stream()
                                .map(f -> f.host() + ": " + f.reason())
                                .collect(Collectors.joining("; ")));
    }

    /** "127.0.0.1:25" for an address literal, "mx.example.com[192.0.2.1]:25" for a name. */
    private static String label(NextHop hop, InetAddress address) {
        String ip = address.getHostAddress();
        return hop.host().equals(ip) ? ip + ":" + hop.port() : hop.host() + "[" + ip + "]:" + hop.port();
    }

    private static byte[] octets(String dottedQuad) {
        String[] parts = dottedQuad.split("\\.");
        byte[] octets = new byte[4];
        for (int i = 0; i < 4; i++) {
            octets[i] = (byte) Integer.parseInt(parts[i]);
        }
        return octets;
    }
}
