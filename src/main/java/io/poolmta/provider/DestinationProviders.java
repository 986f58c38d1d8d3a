package io.poolmta.provider;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The mailbox provider of a recipient, for counting outcomes after the fact (events carry the
 * recipient, not the provider): the provider delivery classified the recipient's domain as when it
 * chose a source (which may have taken the domain's MX hosts into account), else the table's
 * classification by the domain alone. Only domains whose provider the domain alone does not tell
 * are remembered, at most {@link #MAX_REMEMBERED} (then the memory starts again), so a million
 * small domains cost nothing. Thread-safe.
 */
public final class DestinationProviders {
    public static final int MAX_REMEMBERED = 100_000;

    private final ProviderTable table;
    private final Map<String, String> learned = new ConcurrentHashMap<>();

    public DestinationProviders(ProviderTable table) {
        this.table = table;
    }

    /** Delivery classified {@code domain} as {@code provider}. */
    public void note(String domain, String provider) {
        String key = domain.toLowerCase(Locale.ROOT);
        if (provider.equals(learned.get(key)) || provider.equals(byDomain(key))) {
            return;
        }
        if (learned.size() >= MAX_REMEMBERED) {
            learned.clear();
        }
        learned.put(key, provider);
    }

    /** The provider of a recipient address (or a bare domain). */
    public String of(String recipient) {
        String domain = recipient.substring(recipient.lastIndexOf('@') + 1).toLowerCase(Locale.ROOT);
        String known = learned.get(domain);
        return known != null ? known : byDomain(domain);
    }

    private String byDomain(String domain) {
        return table.classify(domain, List.of());
    }
}
