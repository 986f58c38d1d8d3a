package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.configset.ConfigurationSetService;

/** DELETE /v2/email/configuration-sets/{ConfigurationSetName}. */
public final class DeleteConfigurationSet implements SesOperation {
    private final ConfigurationSetService sets;

    public DeleteConfigurationSet(ConfigurationSetService sets) {
        this.sets = sets;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        sets.delete(call.accountId(), call.label("ConfigurationSetName"));
        return SesShapes.empty();
    }
}
