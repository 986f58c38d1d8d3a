package io.poolmta.events;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Turns a webhook URL into the addresses to connect to, applying the {@link WebhookAddressPolicy}.
 * A host is resolved once per call and every address it resolves to is checked; the caller
 * connects to exactly those {@link InetAddress}es (no second lookup, so a name that answers a
 * public address to the check and an internal one to the connection - DNS rebinding - gains
 * nothing). IP literals in any spelling are never looked up. One host resolving to any refused
 * address is refused as a whole.
 */
public final class WebhookTargets {
    /** Name resolution; tests inject their own. */
    @FunctionalInterface
    public interface Resolver {
        List<InetAddress> resolve(String host) throws UnknownHostException;
    }

    public static final Resolver DNS = host -> List.of(InetAddress.getAllByName(host));

    /** A checked destination: the URL and the addresses to try, in order. */
    public record Target(WebhookUrl url, List<InetAddress> addresses) {
        public Target {
            addresses = List.copyOf(addresses);
        }
    }

    private final WebhookAddressPolicy policy;
    private final Resolver resolver;

    public WebhookTargets(WebhookAddressPolicy policy, Resolver resolver) {
        this.policy = policy;
        this.resolver = resolver;
    }

    public WebhookAddressPolicy policy() {
        return policy;
    }

    /**
     * Configuration time: why the URL is refused, if it is - its syntax, its name, its literal
     * address, or an address the name resolves to now. A name that does not resolve (yet) is
     * accepted; it is checked again at every connection.
     */
    public Optional<WebhookRefusedException> refusal(String url) {
        try {
            resolve(url);
            return Optional.empty();
        } catch (WebhookRefusedException e) {
            return Optional.of(e);
        } catch (UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** Connection time: parses, resolves once, checks every address. */
    public Target resolve(String url) throws WebhookRefusedException, UnknownHostException {
        WebhookUrl parsed;
        try {
            parsed = WebhookUrl.parse(url);
        } catch (IllegalArgumentException e) {
            throw new WebhookRefusedException("the URL " + e.getMessage(), false);
        }
        if (parsed.literal().isPresent()) {
            InetAddress address = parsed.literal().get();
            Optional<String> refused = policy.addressRefusal(address);
            if (refused.isPresent()) {
                String written = address.getHostAddress().equals(parsed.host()) ? "" : "'" + parsed.host() + "' is ";
                throw new WebhookRefusedException(written + address.getHostAddress() + ", " + refused.get(), true);
            }
            return new Target(parsed, List.of(address));
        }
        Optional<String> byName = policy.nameRefusal(parsed.host());
        if (byName.isPresent()) {
            throw new WebhookRefusedException(byName.get(), true);
        }
        List<InetAddress> addresses = resolver.resolve(parsed.host());
        if (addresses.isEmpty()) {
            throw new UnknownHostException(parsed.host());
        }
        if (!policy.nameAllowed(parsed.host())) {
            for (InetAddress address : addresses) {
                Optional<String> refused = policy.addressRefusal(address);
                if (refused.isPresent()) {
                    throw new WebhookRefusedException(
                            "'" + parsed.host() + "' resolves to " + address.getHostAddress() + ", " + refused.get(),
                            true);
                }
            }
        }
        return new Target(parsed, addresses);
    }
}
