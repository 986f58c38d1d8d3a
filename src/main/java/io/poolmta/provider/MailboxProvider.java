package io.poolmta.provider;

import java.util.List;
import java.util.Locale;

/**
 * A receiving provider: the recipient domains it hosts and the MX host names it uses (both matched
 * as the name itself or a suffix after a dot), and the limits PoolMTA keeps towards it.
 */
public record MailboxProvider(String name, List<String> domains, List<String> mxHosts, ProviderLimits limits) {
    public MailboxProvider {
        domains = domains.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
        mxHosts = mxHosts.stream().map(d -> d.toLowerCase(Locale.ROOT)).toList();
    }

    boolean hostsDomain(String domain) {
        return matches(domains, domain);
    }

    boolean usesMx(String host) {
        return matches(mxHosts, host);
    }

    private static boolean matches(List<String> suffixes, String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (n.endsWith(".")) {
            n = n.substring(0, n.length() - 1);
        }
        for (String s : suffixes) {
            if (n.equals(s) || n.endsWith("." + s)) {
                return true;
            }
        }
        return false;
    }
}
