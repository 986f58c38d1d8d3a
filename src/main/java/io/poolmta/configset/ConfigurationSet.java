package io.poolmta.configset;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A configuration set. Options PoolMTA acts on are typed; the others SES defines (TrackingOptions,
 * SuppressionOptions, VdmOptions, ArchivingOptions) are kept as the JSON the client sent, by name,
 * and returned unchanged.
 */
public record ConfigurationSet(
        String accountId,
        String name,
        Instant createdAt,
        DeliveryOptions deliveryOptions,
        boolean sendingEnabled,
        ReputationOptions reputationOptions,
        Map<String, String> storedOptions) {

    public ConfigurationSet {
        Objects.requireNonNull(accountId);
        ConfigurationSetNames.requireValid(name);
        Objects.requireNonNull(createdAt);
        Objects.requireNonNull(deliveryOptions);
        Objects.requireNonNull(reputationOptions);
        storedOptions = Map.copyOf(storedOptions);
    }

    public ConfigurationSet withDeliveryOptions(DeliveryOptions options) {
        return new ConfigurationSet(
                accountId, name, createdAt, options, sendingEnabled, reputationOptions, storedOptions);
    }

    public ConfigurationSet withSendingEnabled(boolean enabled) {
        return new ConfigurationSet(
                accountId, name, createdAt, deliveryOptions, enabled, reputationOptions, storedOptions);
    }

    public ConfigurationSet withReputationOptions(ReputationOptions options) {
        return new ConfigurationSet(
                accountId, name, createdAt, deliveryOptions, sendingEnabled, options, storedOptions);
    }

    /** Replaces one stored option group; an empty value removes it. */
    public ConfigurationSet withStoredOption(String option, Optional<String> json) {
        Map<String, String> copy = new TreeMap<>(storedOptions);
        if (json.isPresent()) {
            copy.put(option, json.get());
        } else {
            copy.remove(option);
        }
        return new ConfigurationSet(
                accountId, name, createdAt, deliveryOptions, sendingEnabled, reputationOptions, copy);
    }
}
