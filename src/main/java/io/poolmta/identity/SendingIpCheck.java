package io.poolmta.identity;

import io.poolmta.ip.IpStore;
import io.poolmta.ip.Ipv4;
import io.poolmta.ip.LocalAddresses;
import io.poolmta.ip.SendingIp;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The egress self-test of one sending address, what receivers check before they trust mail from
 * it: whether this host can bind it; its PTR name (reverse DNS), whether that matches the address's
 * EHLO name and whether the name resolves back to the address (forward-confirmed reverse DNS); and
 * which accounts' domains publish SPF that covers it (each identity's From domain and custom MAIL
 * FROM domain, evaluated by {@link Spf}). Lookups go to the configured resolver. A report, never a
 * change: nothing is stored.
 */
public final class SendingIpCheck {
    /** At most this many domains are evaluated for SPF in one check. */
    public static final int MAX_DOMAINS = 1000;

    /** One domain's SPF verdict for the address. */
    public record SpfDomain(String accountId, String identity, String domain, String use, Spf.Result result) {
        /** PASS: the domain authorises the address. */
        public boolean covers() {
            return result == Spf.Result.PASS;
        }
    }

    /** What was found about one address; {@code problems} says in words what a receiver would hold against it. */
    public record Report(
            String ip,
            boolean registered,
            boolean canBind,
            Optional<String> ehloName,
            List<String> ptrNames,
            boolean ptrMatchesEhlo,
            boolean forwardConfirmed,
            List<SpfDomain> spf,
            List<String> problems) {
        public boolean ok() {
            return problems.isEmpty();
        }
    }

    private final IpStore ips;
    private final IdentityStore identities;
    private final LocalAddresses host;
    private final DnsLookup dns;

    public SendingIpCheck(IpStore ips, IdentityStore identities, LocalAddresses host, DnsLookup dns) {
        this.ips = ips;
        this.identities = identities;
        this.host = host;
        this.dns = dns;
    }

    /** Checks one address (BAD_REQUEST when it is not an IPv4 address). */
    public Report check(String text) {
        Ipv4 address = Ipv4.parse(text);
        String ip = address.text();
        List<String> problems = new ArrayList<>();
        Optional<SendingIp> known = ips.byAddress(address);
        if (known.isEmpty()) {
            problems.add(ip + " is not one of the operator's sending addresses (poolmta ip add)");
        }
        boolean canBind = host.canBind(address);
        if (!canBind) {
            problems.add("this host cannot bind " + ip + ": it is not configured on any interface");
        }
        Optional<String> ehlo = known.map(SendingIp::ehloName).map(SendingIpCheck::host);
        List<String> ptr = answers(DnsLookup.reverseName(ip), DnsLookup.RecordType.PTR);
        boolean matches = ehlo.isPresent() && ptr.contains(ehlo.get());
        boolean confirmed = false;
        for (String name : ptr) {
            if (answers(name, DnsLookup.RecordType.A).contains(ip)) {
                confirmed = true;
            }
        }
        if (ptr.isEmpty()) {
            problems.add(ip + " has no PTR record (reverse DNS): many receivers refuse such mail");
        } else {
            if (ehlo.isPresent() && !matches) {
                problems.add("the PTR name of " + ip + " (" + String.join(", ", ptr) + ") is not its EHLO name "
                        + ehlo.get());
            }
            if (!confirmed) {
                problems.add("the PTR name of " + ip + " (" + String.join(", ", ptr)
                        + ") does not resolve back to it (no A record with " + ip + ")");
            }
        }
        List<SpfDomain> spf = spf(ip);
        return new Report(
                ip, known.isPresent(), canBind, ehlo, ptr, matches, confirmed, List.copyOf(spf), List.copyOf(problems));
    }

    private List<SpfDomain> spf(String ip) {
        Spf evaluator = new Spf(dns);
        record Use(String accountId, String identity, String domain, String use) {}
        Set<Use> uses = new LinkedHashSet<>();
        for (EmailIdentity identity : identities.all()) {
            uses.add(new Use(identity.accountId(), identity.name(), identity.domain(), "From"));
            identity.mailFrom()
                    .domain()
                    .ifPresent(d -> uses.add(new Use(identity.accountId(), identity.name(), d, "MAIL FROM")));
            if (uses.size() >= MAX_DOMAINS) {
                break;
            }
        }
        List<SpfDomain> out = new ArrayList<>();
        for (Use use : uses) {
            out.add(new SpfDomain(
                    use.accountId(), use.identity(), use.domain(), use.use(), evaluator.check(ip, use.domain())));
        }
        return out;
    }

    private List<String> answers(String name, DnsLookup.RecordType type) {
        return switch (dns.lookup(name, type)) {
            case TxtLookup.Found found ->
                found.records().stream().map(SendingIpCheck::host).toList();
            case TxtLookup.Missing missing -> List.of();
            case TxtLookup.Failed failed -> List.of();
        };
    }

    private static String host(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
