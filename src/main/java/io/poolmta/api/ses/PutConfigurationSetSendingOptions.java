package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.configset.ConfigurationSetService;

/** PUT .../sending: SendingEnabled (absent means false, as the SDKs send it). */
public final class PutConfigurationSetSendingOptions implements SesOperation {
    private final ConfigurationSetService sets;

    public PutConfigurationSetSendingOptions(ConfigurationSetService sets) {
        this.sets = sets;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        String name = call.label("ConfigurationSetName");
        sets.putSendingEnabled(
                call.accountId(),
                name,
                call.body().optionalBoolean("SendingEnabled").orElse(false));
        return SesShapes.empty();
    }
}
