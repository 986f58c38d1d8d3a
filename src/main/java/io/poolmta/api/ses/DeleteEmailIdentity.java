package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.identity.IdentityService;

/** DELETE /v2/email/identities/{EmailIdentity}: the identity, its tags and its DKIM keys. */
public final class DeleteEmailIdentity implements SesOperation {
    private final IdentityService identities;

    public DeleteEmailIdentity(IdentityService identities) {
        this.identities = identities;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        identities.delete(call.accountId(), IdentityShape.identity(call));
        return SesShapes.empty();
    }
}
