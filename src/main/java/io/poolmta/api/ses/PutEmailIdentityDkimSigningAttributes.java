package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.Json;
import io.poolmta.identity.EmailIdentity;
import io.poolmta.identity.IdentityService;
import io.poolmta.identity.SigningOrigin;

/**
 * PUT /v2/email/identities/{EmailIdentity}/dkim/signing: SigningAttributesOrigin (AWS_SES or
 * EXTERNAL) and SigningAttributes; answers the DKIM status and tokens (the selector). The key
 * given is stored and never answered.
 */
public final class PutEmailIdentityDkimSigningAttributes implements SesOperation {
    private final IdentityService identities;

    public PutEmailIdentityDkimSigningAttributes(IdentityService identities) {
        this.identities = identities;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        SigningOrigin origin = IdentityShape.origin(call.body().requiredString("SigningAttributesOrigin"));
        EmailIdentity identity = identities.putDkimSigningAttributes(
                call.accountId(),
                IdentityShape.identity(call),
                origin,
                IdentityShape.signing(call.body(), "SigningAttributes", "DomainSigningAttributesOrigin"));
        ObjectNode out = Json.object();
        out.put("DkimStatus", identity.dkim().status().name());
        out.set("DkimTokens", IdentityShape.dkim(identity.dkim()).get("Tokens"));
        return out;
    }
}
