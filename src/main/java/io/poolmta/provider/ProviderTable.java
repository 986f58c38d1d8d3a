package io.poolmta.provider;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Classifies a destination into a provider: first by the recipient domain, then by its MX hosts;
 * anything else is {@link #OTHER}. The table is data; {@link #defaults()}, the bundled
 * providers.json, covers Google, Microsoft, Yahoo/AOL and Apple iCloud, each allowed at most half
 * of a warming IP's daily cap.
 */
public final class ProviderTable {
    public static final String OTHER = "other";

    private final List<MailboxProvider> providers;
    private final ProviderLimits otherLimits;

    public ProviderTable(List<MailboxProvider> providers, ProviderLimits otherLimits) {
        this.providers = List.copyOf(providers);
        this.otherLimits = otherLimits;
    }

    /** The bundled table (providers.json beside {@link ProvidersJson}). */
    public static ProviderTable defaults() {
        return Bundled.TABLE;
    }

    /**
     * The bundled reply patterns that mean "slow down" (providers.json's {@code throttleReplies}):
     * found, case-insensitively, in a reply's text.
     */
    public static Pattern defaultThrottleReplies() {
        return Bundled.THROTTLE_REPLIES;
    }

    /** Read once, on first use. */
    private static final class Bundled {
        static final ProviderTable TABLE;
        static final Pattern THROTTLE_REPLIES;

        static {
            JsonNode root = ProvidersJson.bundled();
            TABLE = ProvidersJson.table(root.path("providers"), ProvidersJson.BUNDLED);
            THROTTLE_REPLIES = ProvidersJson.throttleReplies(root.get("throttleReplies"), ProvidersJson.BUNDLED);
        }
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
        return providers.stream()
                .filter(p -> p.name().equals(provider))
                .map(MailboxProvider::limits)
                .findFirst()
                .orElse(otherLimits);
    }

    public List<MailboxProvider> providers() {
        return providers;
    }
}
