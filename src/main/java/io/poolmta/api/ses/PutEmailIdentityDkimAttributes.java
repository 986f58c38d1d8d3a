package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.identity.IdentityService;

/** PUT /v2/email/identities/{EmailIdentity}/dkim: SigningEnabled (absent = false, as SES's default for the field). */
public final class PutEmailIdentityDkimAttributes implements SesOperation {
    private final IdentityService identities;

    public PutEmailIdentityDkimAttributes(IdentityService identities) {
        this.identities = identities;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        identities.putDkimSigningEnabled(
                call.accountId(),
                IdentityShape.identity(call),
                call.body().optionalBoolean("SigningEnabled").orElse(false));
        return SesShapes.empty();
    }
}
