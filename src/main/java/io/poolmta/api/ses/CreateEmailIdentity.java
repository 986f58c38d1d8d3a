package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.Json;
import io.poolmta.identity.EmailIdentity;
import io.poolmta.identity.IdentityService;
import io.poolmta.identity.NewIdentity;

/**
 * POST /v2/email/identities: EmailIdentity, Tags, DkimSigningAttributes (a domain only) and
 * ConfigurationSetName; answers the type, whether it may send yet, and its DKIM attributes.
 */
public final class CreateEmailIdentity implements SesOperation {
    private final IdentityService identities;

    public CreateEmailIdentity(IdentityService identities) {
        this.identities = identities;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        NewIdentity input = new NewIdentity(
                call.body().requiredString("EmailIdentity"),
                SesShapes.tags(call.body(), "Tags"),
                IdentityShape.signing(call.body(), "DkimSigningAttributes", "DomainSigningAttributesOrigin"),
                call.body().optionalString("ConfigurationSetName"));
        EmailIdentity created = identities.create(call.accountId(), input);
        ObjectNode out = Json.object();
        out.put("IdentityType", created.type().name());
        out.put("VerifiedForSendingStatus", created.verifiedForSending());
        out.set("DkimAttributes", IdentityShape.dkim(created.dkim()));
        return out;
    }
}
