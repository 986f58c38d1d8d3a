package io.poolmta.egress;

import io.poolmta.ip.Ipv4;
import io.poolmta.message.Envelope;
import io.poolmta.provider.DestinationProviders;
import java.util.Optional;

/**
 * A {@link SourceSelector} that tells {@link DestinationProviders} which provider delivery
 * classified each destination domain as, then asks the selector it wraps.
 */
public final class ProviderNotingSelector implements SourceSelector {
    private final SourceSelector selector;
    private final DestinationProviders providers;

    public ProviderNotingSelector(SourceSelector selector, DestinationProviders providers) {
        this.selector = selector;
        this.providers = providers;
    }

    @Override
    public SourceSelection select(
            Envelope envelope, String destinationDomain, String provider, Optional<Ipv4> previous) {
        providers.note(destinationDomain, provider);
        return selector.select(envelope, destinationDomain, provider, previous);
    }

    @Override
    public void cancel(Envelope envelope, SourceSelection.Selected selection, String provider) {
        selector.cancel(envelope, selection, provider);
    }

    @Override
    public boolean hasSources(String accountId, String poolName) {
        return selector.hasSources(accountId, poolName);
    }
}
