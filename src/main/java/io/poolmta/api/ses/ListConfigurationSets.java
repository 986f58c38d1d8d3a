package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.configset.ConfigurationSetService;

/** GET /v2/email/configuration-sets: names, paged. */
public final class ListConfigurationSets implements SesOperation {
    private final ConfigurationSetService sets;

    public ListConfigurationSets(ConfigurationSetService sets) {
        this.sets = sets;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        return SesShapes.names("ConfigurationSets", sets.list(call.accountId(), SesShapes.page(call.query())));
    }
}
