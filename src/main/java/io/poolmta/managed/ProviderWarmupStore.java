package io.poolmta.managed;

import java.util.List;
import java.util.Optional;

/** Durable per (IP, provider) warm-up positions. */
public interface ProviderWarmupStore {
    Optional<ProviderLevel> get(String address, String provider);

    void put(String address, String provider, ProviderLevel level);

    /** The last day the address sent anything to any provider, as stored by the node that owns it. */
    long lastActiveDay(String address);

    /** The providers the address has a stored position for. */
    List<String> providersOf(String address);
}
