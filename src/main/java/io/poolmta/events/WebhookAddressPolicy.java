package io.poolmta.events;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which webhook destinations a tenant may make the server call (server-side request forgery).
 * Refused by default: loopback, private (RFC 1918), carrier-grade NAT (100.64/10), link-local
 * (169.254/16, fe80::/10), unique-local (fc00::/7), site-local, multicast, unspecified and
 * reserved addresses, cloud metadata endpoints (169.254.169.254, fd00:ec2::254, 168.63.129.16,
 * 100.100.100.200) and names that only ever mean internal hosts ({@code localhost},
 * {@code metadata.google.internal}, {@code *.internal}, {@code *.local}, …). IPv6 forms that carry
 * an IPv4 address (IPv4-mapped, IPv4-compatible, SIIT, NAT64 64:ff9b::/96, 6to4) are judged by
 * that address; local-use NAT64 (64:ff9b:1::/48) and Teredo are refused outright.
 * <p>
 * The operator's allow-list re-admits destinations: CIDR ranges (an address in one is allowed
 * whatever its kind) and host names ({@code hooks.corp} exactly, {@code *.corp} for its
 * subdomains; an allow-listed name may resolve to any address). Immutable.
 */
public final class WebhookAddressPolicy {
    private record Range(Cidr cidr, String kind) {}

    private static final List<Range> V4 = List.of(
            range("169.254.169.254/32", "a cloud metadata address"),
            range("168.63.129.16/32", "a cloud metadata address"),
            range("100.100.100.200/32", "a cloud metadata address"),
            range("0.0.0.0/8", "an unspecified ('this network') address"),
            range("10.0.0.0/8", "a private (RFC 1918) address"),
            range("100.64.0.0/10", "a carrier-grade NAT (RFC 6598) address"),
            range("127.0.0.0/8", "a loopback address"),
            range("169.254.0.0/16", "a link-local address"),
            range("172.16.0.0/12", "a private (RFC 1918) address"),
            range("192.0.0.0/24", "an IETF protocol assignment address"),
            range("192.0.2.0/24", "a documentation address"),
            range("192.168.0.0/16", "a private (RFC 1918) address"),
            range("198.18.0.0/15", "a benchmarking address"),
            range("198.51.100.0/24", "a documentation address"),
            range("203.0.113.0/24", "a documentation address"),
            range("224.0.0.0/4", "a multicast address"),
            range("240.0.0.0/4", "a reserved or broadcast address"));

    private static final List<Range> V6 = List.of(
            range("fd00:ec2::254/128", "a cloud metadata address"),
            range("::/128", "an unspecified address"),
            range("::1/128", "a loopback address"),
            range("64:ff9b:1::/48", "a local-use NAT64 address"),
            range("100::/64", "a discard-only address"),
            range("2001::/32", "a Teredo address"),
            range("2001:db8::/32", "a documentation address"),
            range("fc00::/7", "a unique-local address"),
            range("fe80::/10", "a link-local address"),
            range("fec0::/10", "a site-local address"),
            range("ff00::/8", "a multicast address"));

    /** IPv6 ranges whose last 32 bits are an IPv4 address. */
    private static final List<Range> EMBEDDING_V4_AT_END = List.of(
            // Java hands IPv4-mapped addresses over as Inet4Address already; this catches any that are not
            new Range(
                    new Cidr(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0}, 96),
                    "IPv4-mapped"),
            range("::/96", "IPv4-compatible"),
            range("::ffff:0:0:0/96", "IPv4-translated"),
            range("64:ff9b::/96", "NAT64"));

    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");

    private static final Set<String> BLOCKED_NAMES = Set.of(
            "localhost",
            "metadata",
            "metadata.google.internal",
            "metadata.goog",
            "instance-data",
            "instance-data.ec2.internal",
            "kubernetes.default");
    private static final List<String> BLOCKED_SUFFIXES = List.of(
            ".localhost", ".internal", ".local", ".localdomain", ".home.arpa", ".arpa", ".svc", ".metadata.goog");

    private final List<Cidr> allowedRanges;
    private final List<String> allowedNames;
    private final List<String> allowedSuffixes;
    private final List<String> entries;

    private WebhookAddressPolicy(List<Cidr> ranges, List<String> names, List<String> suffixes, List<String> entries) {
        this.allowedRanges = List.copyOf(ranges);
        this.allowedNames = List.copyOf(names);
        this.allowedSuffixes = List.copyOf(suffixes);
        this.entries = List.copyOf(entries);
    }

    /** The default: nothing internal is allowed. */
    public static WebhookAddressPolicy strict() {
        return allowing(List.of());
    }

    /** A policy with the operator's allow-list: CIDRs, single addresses, host names, {@code *.suffix}. */
    public static WebhookAddressPolicy allowing(List<String> allowList) {
        List<Cidr> ranges = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> suffixes = new ArrayList<>();
        for (String raw : allowList) {
            String entry = raw.trim().toLowerCase(Locale.ROOT);
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("webhookAllowList has an empty entry");
            }
            if (entry.matches("^[0-9a-f:.\\[\\]]+(/[0-9]{1,3})?$")
                    && (entry.contains(":") || entry.matches("^[0-9./]+$"))) {
                ranges.add(Cidr.parse(entry));
            } else if (entry.startsWith("*.") && isName(entry.substring(2))) {
                suffixes.add(entry.substring(1));
            } else if (isName(entry)) {
                names.add(entry.endsWith(".") ? entry.substring(0, entry.length() - 1) : entry);
            } else {
                throw new IllegalArgumentException("webhookAllowList entry '" + raw
                        + "' is neither a CIDR range (127.0.0.0/8, fd00::/8), an address, a host name nor *.domain");
            }
        }
        return new WebhookAddressPolicy(ranges, names, suffixes, allowList);
    }

    private static boolean isName(String s) {
        return s.matches("^[a-z0-9_-]+(\\.[a-z0-9_-]+)*\\.?$") && !s.matches("^[0-9.]+$");
    }

    public List<String> allowList() {
        return entries;
    }

    /** Whether the operator allow-listed this host name (then any address it resolves to is allowed). */
    public boolean nameAllowed(String host) {
        if (allowedNames.contains(host)) {
            return true;
        }
        return allowedSuffixes.stream().anyMatch(host::endsWith);
    }

    /** Why a host name is refused before any resolution, if it is. */
    public Optional<String> nameRefusal(String host) {
        if (nameAllowed(host)) {
            return Optional.empty();
        }
        if (BLOCKED_NAMES.contains(host) || BLOCKED_SUFFIXES.stream().anyMatch(host::endsWith)) {
            return Optional.of("'" + host + "' names an internal host");
        }
        return Optional.empty();
    }

    /**
     * What kind of refused address this is ("a loopback address", "the IPv4-mapped form of
     * 10.0.0.1, a private (RFC 1918) address"), if it is refused; allow-listed ranges never are.
     */
    public Optional<String> addressRefusal(InetAddress address) {
        if (allowedRanges.stream().anyMatch(r -> r.contains(address))) {
            return Optional.empty();
        }
        return kind(address);
    }

    /** The kind of internal address this is, or empty for a public one. */
    static Optional<String> kind(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return V4.stream()
                    .filter(r -> r.cidr().contains(bytes))
                    .map(Range::kind)
                    .findFirst();
        }
        for (Range r : V6) {
            if (r.cidr().contains(bytes)) {
                return Optional.of(r.kind());
            }
        }
        for (Range r : EMBEDDING_V4_AT_END) {
            if (r.cidr().contains(bytes)) {
                return embedded(Arrays.copyOfRange(bytes, 12, 16), r.kind());
            }
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return embedded(Arrays.copyOfRange(bytes, 2, 6), "6to4");
        }
        return Optional.empty();
    }

    private static Optional<String> embedded(byte[] v4, String form) {
        try {
            InetAddress inner = InetAddress.getByAddress(v4);
            return kind(inner).map(k -> "the " + form + " form of " + inner.getHostAddress() + ", " + k);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Range range(String cidr, String kind) {
        return new Range(Cidr.parse(cidr), kind);
    }
}
