package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.identity.IdentityService;

/**
 * PUT /v2/email/identities/{EmailIdentity}/configuration-set: ConfigurationSetName, the set for
 * mail from this identity that names none (absent removes it; a set that does not exist is NotFound).
 */
public final class PutEmailIdentityConfigurationSetAttributes implements SesOperation {
    private final IdentityService identities;

    public PutEmailIdentityConfigurationSetAttributes(IdentityService identities) {
        this.identities = identities;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        identities.putConfigurationSet(
                call.accountId(),
                IdentityShape.identity(call),
                call.body().optionalString("ConfigurationSetName").filter(s -> !s.isEmpty()));
        return SesShapes.empty();
    }
}
