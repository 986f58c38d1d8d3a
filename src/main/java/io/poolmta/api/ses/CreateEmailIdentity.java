package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.Json;
import io.poolmta.identity.EmailIdentity;
import io.poolmta.identity.EmailVerification;
import io.poolmta.identity.IdentityService;
import io.poolmta.identity.IdentityType;
import io.poolmta.identity.NewIdentity;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POST /v2/email/identities: EmailIdentity, Tags, DkimSigningAttributes (a domain only) and
 * ConfigurationSetName; answers the type, whether it may send yet, and its DKIM attributes. A new
 * email address is mailed its verification link; when that message cannot be accepted the identity
 * stays (PENDING, as SES's) and the failure is logged: delete and create it again to get a new link.
 */
public final class CreateEmailIdentity implements SesOperation {
    private static final Logger LOG = LoggerFactory.getLogger(CreateEmailIdentity.class);

    private final IdentityService identities;
    private final Optional<EmailVerification> verification;

    public CreateEmailIdentity(IdentityService identities, Optional<EmailVerification> verification) {
        this.identities = identities;
        this.verification = verification;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        NewIdentity input = new NewIdentity(
                call.body().requiredString("EmailIdentity"),
                SesShapes.tags(call.body(), "Tags"),
                IdentityShape.signing(call.body(), "DkimSigningAttributes", "DomainSigningAttributesOrigin"),
                call.body().optionalString("ConfigurationSetName"));
        EmailIdentity created = identities.create(call.accountId(), input);
        if (created.type() == IdentityType.EMAIL_ADDRESS && verification.isPresent()) {
            try {
                verification.get().start(created);
            } catch (RuntimeException e) {
                LOG.warn(
                        "could not send the verification link of {} (account {})", created.name(), call.accountId(), e);
            }
        }
        ObjectNode out = Json.object();
        out.put("IdentityType", created.type().name());
        out.put("VerifiedForSendingStatus", created.verifiedForSending());
        out.set("DkimAttributes", IdentityShape.dkim(created.dkim()));
        return out;
    }
}
