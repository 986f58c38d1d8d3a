package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.identity.IdentityService;

/** PUT /v2/email/identities/{EmailIdentity}/feedback: EmailForwardingEnabled (absent = false). */
public final class PutEmailIdentityFeedbackAttributes implements SesOperation {
    private final IdentityService identities;

    public PutEmailIdentityFeedbackAttributes(IdentityService identities) {
        this.identities = identities;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        identities.putFeedbackForwarding(
                call.accountId(),
                IdentityShape.identity(call),
                call.body().optionalBoolean("EmailForwardingEnabled").orElse(false));
        return SesShapes.empty();
    }
}
