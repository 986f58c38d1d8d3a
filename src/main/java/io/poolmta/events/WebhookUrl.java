package io.poolmta.events;

import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A webhook URL taken apart by PoolMTA itself rather than by {@link URI#getHost()} (which gives up on
 * spellings such as {@code 127.1} and {@code 0251.0376.0251.0376} and leaves them to whoever
 * resolves the name next). {@code host} is lower case without a trailing dot, an IPv6 literal
 * without its brackets; {@code literal} is the address the host spells when it is an IP literal in
 * any form (IPv4 read as a browser reads it: decimal, hex, octal, one to four parts;
 * see {@link Ipv4Literal}), empty for a name. A host that ends in a number but is no valid IPv4
 * address, a zone id, a percent-encoded or non-ASCII host are refused
 * ({@link IllegalArgumentException} with the reason).
 */
public record WebhookUrl(boolean https, String host, int port, String target, Optional<InetAddress> literal) {
    private static final Pattern NAME = Pattern.compile("^[a-z0-9_-]+(\\.[a-z0-9_-]+)*$");

    public static WebhookUrl parse(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (Exception e) {
            throw new IllegalArgumentException("is not a valid URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.isOpaque() || uri.getRawAuthority() == null) {
            throw new IllegalArgumentException("must be an absolute http:// or https:// URL");
        }
        boolean https = scheme.equals("https");
        String authority = uri.getRawAuthority();
        String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
        String host;
        String portText = "";
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            if (close < 0) {
                throw new IllegalArgumentException("has an unterminated IPv6 literal");
            }
            host = hostPort.substring(1, close);
            String rest = hostPort.substring(close + 1);
            if (!rest.isEmpty()) {
                if (!rest.startsWith(":")) {
                    throw new IllegalArgumentException("has text after its IPv6 literal");
                }
                portText = rest.substring(1);
            }
        } else {
            int colon = hostPort.lastIndexOf(':');
            host = colon < 0 ? hostPort : hostPort.substring(0, colon);
            portText = colon < 0 ? "" : hostPort.substring(colon + 1);
        }
        int port = https ? 443 : 80;
        if (!portText.isEmpty()) {
            if (!portText.matches("[0-9]{1,5}")
                    || Integer.parseInt(portText) < 1
                    || Integer.parseInt(portText) > 65535) {
                throw new IllegalArgumentException("has an invalid port '" + portText + "'");
            }
            port = Integer.parseInt(portText);
        }
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String target = uri.getRawQuery() == null ? path : path + "?" + uri.getRawQuery();
        if (hostPort.startsWith("[")) {
            if (host.contains("%")) {
                throw new IllegalArgumentException("names an IPv6 zone (a link-local address)");
            }
            InetAddress address;
            try {
                address = InetAddress.ofLiteral(host);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("has an invalid IPv6 literal [" + host + "]");
            }
            return new WebhookUrl(https, host.toLowerCase(Locale.ROOT), port, target, Optional.of(address));
        }
        host = host.toLowerCase(Locale.ROOT);
        if (host.endsWith(".") && host.length() > 1) {
            host = host.substring(0, host.length() - 1);
        }
        if (host.isEmpty()) {
            throw new IllegalArgumentException("has no host");
        }
        Optional<InetAddress> v4 = Ipv4Literal.parse(host);
        if (v4.isEmpty() && (host.length() > 253 || !NAME.matcher(host).matches())) {
            throw new IllegalArgumentException("has a host PoolMTA does not accept ('" + host
                    + "'): letters, digits, '-', '_' and dots only (IDN in its xn-- form), no percent-encoding");
        }
        return new WebhookUrl(https, host, port, target, v4);
    }

    /** The Host header: the host as the URL gave it, with the port when it is not the scheme's. */
    public String hostHeader() {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return port == (https ? 443 : 80) ? h : h + ":" + port;
    }
}
