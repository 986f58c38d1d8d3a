package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.configset.ConfigurationSetService;

/** POST /v2/email/configuration-sets, with its nested option groups and tags. */
public final class CreateConfigurationSet implements SesOperation {
    private final ConfigurationSetService sets;

    public CreateConfigurationSet(ConfigurationSetService sets) {
        this.sets = sets;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        sets.create(call.accountId(), ConfigurationSetShape.parseCreate(call.body()));
        return SesShapes.empty();
    }
}
