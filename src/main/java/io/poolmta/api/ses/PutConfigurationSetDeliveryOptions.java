package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.configset.ConfigurationSetService;

/** PUT .../delivery-options: TlsPolicy, SendingPoolName, MaxDeliverySeconds, replacing the previous ones. */
public final class PutConfigurationSetDeliveryOptions implements SesOperation {
    private final ConfigurationSetService sets;

    public PutConfigurationSetDeliveryOptions(ConfigurationSetService sets) {
        this.sets = sets;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        String name = call.label("ConfigurationSetName");
        sets.putDeliveryOptions(call.accountId(), name, ConfigurationSetShape.delivery(call.body()));
        return SesShapes.empty();
    }
}
