package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.configset.ConfigurationSet;
import io.poolmta.configset.ConfigurationSetService;
import io.poolmta.tag.ResourceType;
import io.poolmta.tag.TagStore;

/** GET /v2/email/configuration-sets/{ConfigurationSetName}: every option group and the tags. */
public final class GetConfigurationSet implements SesOperation {
    private final ConfigurationSetService sets;
    private final TagStore tags;

    public GetConfigurationSet(ConfigurationSetService sets, TagStore tags) {
        this.sets = sets;
        this.tags = tags;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        ConfigurationSet set = sets.get(call.accountId(), call.label("ConfigurationSetName"));
        return ConfigurationSetShape.render(
                set, tags.list(call.accountId(), ResourceType.CONFIGURATION_SET, set.name()));
    }
}
