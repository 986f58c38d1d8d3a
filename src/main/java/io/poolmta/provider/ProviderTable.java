package io.poolmta.provider;

import java.util.List;

/**
 * Classifies a destination into a provider: first by the recipient domain, then by its MX hosts;
 * anything else is {@link #OTHER}. The table is data; {@link #defaults()} covers Google, Microsoft,
 * Yahoo/AOL and Apple iCloud, each allowed at most half of a warming IP's daily cap.
 */
public final class ProviderTable {
    public static final String OTHER = "other";

    private final List<MailboxProvider> providers;
    private final ProviderLimits otherLimits;

    public ProviderTable(List<MailboxProvider> providers, ProviderLimits otherLimits) {
        this.providers = List.copyOf(providers);
        this.otherLimits = otherLimits;
    }

    public static ProviderTable defaults() {
        return new ProviderTable(List.of(
                new MailboxProvider("google", List.of("gmail.com", "googlemail.com"),
                        List.of("google.com", "googlemail.com"), new ProviderLimits(4, 100, 0, 0.5)),
                new MailboxProvider("microsoft", List.of("outlook.com", "hotmail.com", "live.com", "msn.com"),
                        List.of("outlook.com", "protection.outlook.com", "hotmail.com"), new ProviderLimits(2, 50, 0, 0.5)),
                new MailboxProvider("yahoo", List.of("yahoo.com", "ymail.com", "aol.com", "rocketmail.com"),
                        List.of("yahoodns.net", "aol.com"), new ProviderLimits(2, 20, 0, 0.5)),
                new MailboxProvider("apple", List.of("icloud.com", "me.com", "mac.com"),
                        List.of("icloud.com"), new ProviderLimits(2, 50, 0, 0.5))),
                ProviderLimits.DEFAULT);
    }

    /** The provider of a recipient domain, given the hosts its mail goes to. */
    public String classify(String domain, List<String> hosts) {
        for (MailboxProvider p : providers) {
            if (p.hostsDomain(domain)) {
                return p.name();
            }
        }
        for (MailboxProvider p : providers) {
            for (String host : hosts) {
                if (p.usesMx(host)) {
                    return p.name();
                }
            }
        }
        return OTHER;
    }

    public ProviderLimits limits(String provider) {
        return providers.stream().filter(p -> p.name().equals(provider)).map(MailboxProvider::limits).findFirst()
                .orElse(otherLimits);
    }

    public List<MailboxProvider> providers() {
        return providers;
    }
}
