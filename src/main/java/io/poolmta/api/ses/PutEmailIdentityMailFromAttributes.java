package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.identity.BehaviorOnMxFailure;
import io.poolmta.identity.IdentityService;

/**
 * PUT /v2/email/identities/{EmailIdentity}/mail-from: MailFromDomain (absent or empty removes it)
 * and BehaviorOnMxFailure (default USE_DEFAULT_VALUE).
 */
public final class PutEmailIdentityMailFromAttributes implements SesOperation {
    private final IdentityService identities;

    public PutEmailIdentityMailFromAttributes(IdentityService identities) {
        this.identities = identities;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        identities.putMailFrom(
                call.accountId(),
                IdentityShape.identity(call),
                call.body().optionalString("MailFromDomain"),
                call.body()
                        .optionalEnum("BehaviorOnMxFailure", BehaviorOnMxFailure.class)
                        .orElse(BehaviorOnMxFailure.USE_DEFAULT_VALUE));
        return SesShapes.empty();
    }
}
