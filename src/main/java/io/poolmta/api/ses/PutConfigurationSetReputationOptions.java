package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.configset.ConfigurationSetService;

/** PUT .../reputation-options: ReputationMetricsEnabled. */
public final class PutConfigurationSetReputationOptions implements SesOperation {
    private final ConfigurationSetService sets;

    public PutConfigurationSetReputationOptions(ConfigurationSetService sets) {
        this.sets = sets;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        String name = call.label("ConfigurationSetName");
        sets.putReputationOptions(
                call.accountId(),
                name,
                call.body().optionalBoolean("ReputationMetricsEnabled").orElse(false));
        return SesShapes.empty();
    }
}
