package io.poolmta.configset;

import io.poolmta.tag.Tag;
import java.util.List;
import java.util.Map;

/** The input of CreateConfigurationSet, already parsed. */
public record NewConfigurationSet(
        String name,
        DeliveryOptions deliveryOptions,
        boolean sendingEnabled,
        ReputationOptions reputationOptions,
        Map<String, String> storedOptions,
        List<Tag> tags) {}
