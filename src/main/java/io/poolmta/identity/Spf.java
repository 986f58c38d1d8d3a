package io.poolmta.identity;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A small SPF evaluator (a subset of RFC 7208) for one IPv4 address and one domain, enough to say
 * whether a domain's SPF record covers a sending address. Supported: the mechanisms {@code all},
 * {@code ip4} (with a prefix length), {@code a} and {@code mx} (with an optional domain and prefix
 * length), {@code include}, the {@code redirect} modifier, and the qualifiers {@code + - ~ ?}. Not
 * supported: macros (a record with {@code %} is PERMERROR), {@code exists} and {@code ptr} (never
 * match), {@code ip6} (never matches an IPv4 address). As in RFC 7208 §4.6.4, at most 10 mechanisms
 * and modifiers that look up DNS ({@code a}, {@code mx}, {@code include}, {@code redirect}) are
 * followed; more is PERMERROR.
 */
public final class Spf {
    public static final int MAX_LOOKUPS = 10;

    /** RFC 7208's results. */
    public enum Result {
        PASS,
        FAIL,
        SOFTFAIL,
        NEUTRAL,
        NONE,
        PERMERROR,
        TEMPERROR
    }

    private final DnsLookup dns;

    public Spf(DnsLookup dns) {
        this.dns = dns;
    }

    /** Whether a TXT record is an SPF record. */
    public static boolean isSpfRecord(String txt) {
        String lower = txt.trim().toLowerCase(Locale.ROOT);
        return lower.equals("v=spf1") || lower.startsWith("v=spf1 ");
    }

    /** The SPF result for mail from {@code ip} with {@code domain} as its SPF domain. */
    public Result check(String ip, String domain) {
        try {
            return evaluate(address(ip), domain.toLowerCase(Locale.ROOT), new int[] {0});
        } catch (Perm e) {
            return Result.PERMERROR;
        } catch (Temp e) {
            return Result.TEMPERROR;
        }
    }

    private Result evaluate(int ip, String domain, int[] lookups) {
        Optional<String> record = record(domain);
        if (record.isEmpty()) {
            return Result.NONE;
        }
        if (record.get().contains("%")) {
            throw new Perm();
        }
        Optional<String> redirect = Optional.empty();
        String[] terms = record.get().trim().split("\\s+");
        for (int i = 1; i < terms.length; i++) {
            String term = terms[i].toLowerCase(Locale.ROOT);
            if (term.startsWith("redirect=")) {
                redirect = Optional.of(term.substring("redirect=".length()));
                continue;
            }
            if (term.contains("=") && !term.contains(":")) {
                continue; // exp= and unknown modifiers
            }
            Result qualifier = Result.PASS;
            char first = term.charAt(0);
            if ("+-~?".indexOf(first) >= 0) {
                qualifier = switch (first) {
                    case '-' -> Result.FAIL;
                    case '~' -> Result.SOFTFAIL;
                    case '?' -> Result.NEUTRAL;
                    default -> Result.PASS;
                };
                term = term.substring(1);
            }
            if (matches(ip, domain, term, lookups)) {
                return qualifier;
            }
        }
        if (redirect.isPresent()) {
            count(lookups);
            Result result = evaluate(ip, redirect.get(), lookups);
            return result == Result.NONE ? Result.PERMERROR : result;
        }
        return Result.NEUTRAL;
    }

    private boolean matches(int ip, String domain, String term, int[] lookups) {
        String name = term;
        String arg = "";
        int colon = term.indexOf(':');
        if (colon >= 0) {
            name = term.substring(0, colon);
            arg = term.substring(colon + 1);
        }
        int prefix = 32;
        if (!name.equals("ip4")) { // a/24, a:host/24, mx//64 (an IPv6 length only)
            String withCidr = colon >= 0 ? arg : name;
            int s = withCidr.indexOf('/');
            if (s >= 0) {
                String cidr = withCidr.substring(s + 1);
                if (!cidr.startsWith("/")) {
                    prefix = prefix(cidr.split("/")[0]);
                }
                if (colon >= 0) {
                    arg = withCidr.substring(0, s);
                } else {
                    name = withCidr.substring(0, s);
                }
            }
        }
        String target = arg.isEmpty() ? domain : arg;
        return switch (name) {
            case "all" -> true;
            case "ip4" -> {
                int slash = arg.indexOf('/');
                String base = slash >= 0 ? arg.substring(0, slash) : arg;
                int length = slash >= 0 ? prefix(arg.substring(slash + 1)) : 32;
                yield inNetwork(ip, address(base), length);
            }
            case "a" -> {
                count(lookups);
                yield anyAddress(ip, target, prefix);
            }
            case "mx" -> {
                count(lookups);
                for (String host : answers(target, DnsLookup.RecordType.MX)) {
                    if (anyAddress(ip, host, prefix)) {
                        yield true;
                    }
                }
                yield false;
            }
            case "include" -> {
                if (arg.isEmpty()) {
                    throw new Perm();
                }
                count(lookups);
                yield switch (evaluate(ip, arg, lookups)) {
                    case PASS -> true;
                    case FAIL, SOFTFAIL, NEUTRAL -> false;
                    case TEMPERROR -> throw new Temp();
                    case NONE, PERMERROR -> throw new Perm();
                };
            }
            case "ip6", "ptr", "exists" -> false;
            default -> throw new Perm();
        };
    }

    private boolean anyAddress(int ip, String host, int prefix) {
        for (String a : answers(host, DnsLookup.RecordType.A)) {
            if (inNetwork(ip, address(a), prefix)) {
                return true;
            }
        }
        return false;
    }

    private Optional<String> record(String domain) {
        List<String> spf = answers(domain, DnsLookup.RecordType.TXT).stream()
                .filter(Spf::isSpfRecord)
                .toList();
        if (spf.size() > 1) {
            throw new Perm();
        }
        return spf.stream().findFirst();
    }

    private List<String> answers(String name, DnsLookup.RecordType type) {
        return switch (dns.lookup(name, type)) {
            case TxtLookup.Found found -> found.records();
            case TxtLookup.Missing missing -> List.of();
            case TxtLookup.Failed failed -> throw new Temp();
        };
    }

    private static void count(int[] lookups) {
        if (++lookups[0] > MAX_LOOKUPS) {
            throw new Perm();
        }
    }

    private static boolean inNetwork(int ip, int network, int prefix) {
        if (prefix == 0) {
            return true;
        }
        int mask = -1 << (32 - prefix);
        return (ip & mask) == (network & mask);
    }

    private static int prefix(String text) {
        try {
            int p = Integer.parseInt(text);
            if (p < 0 || p > 32) {
                throw new Perm();
            }
            return p;
        } catch (NumberFormatException e) {
            throw new Perm();
        }
    }

    private static int address(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            throw new Perm();
        }
        int out = 0;
        for (String part : parts) {
            try {
                int octet = Integer.parseInt(part);
                if (octet < 0 || octet > 255) {
                    throw new Perm();
                }
                out = (out << 8) | octet;
            } catch (NumberFormatException e) {
                throw new Perm();
            }
        }
        return out;
    }

    /** The record is wrong: PERMERROR. */
    private static final class Perm extends RuntimeException {
        Perm() {
            super(null, null, false, false);
        }
    }

    /** DNS failed: TEMPERROR. */
    private static final class Temp extends RuntimeException {
        Temp() {
            super(null, null, false, false);
        }
    }
}
