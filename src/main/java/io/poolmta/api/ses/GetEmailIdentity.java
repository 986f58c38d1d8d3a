package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.Json;
import io.poolmta.identity.EmailIdentity;
import io.poolmta.identity.IdentityService;
import io.poolmta.identity.VerificationInfo;
import io.poolmta.tag.ResourceType;
import io.poolmta.tag.TagStore;

/**
 * GET /v2/email/identities/{EmailIdentity}: type, verification (status and the latest DNS check),
 * DKIM and MAIL FROM attributes, feedback forwarding, the default configuration set and the tags.
 * Sending authorization policies are not kept: Policies is always empty.
 */
public final class GetEmailIdentity implements SesOperation {
    private final IdentityService identities;
    private final TagStore tags;

    public GetEmailIdentity(IdentityService identities, TagStore tags) {
        this.identities = identities;
        this.tags = tags;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        EmailIdentity identity = identities.get(call.accountId(), IdentityShape.identity(call));
        ObjectNode out = Json.object();
        out.put("IdentityType", identity.type().name());
        out.put("FeedbackForwardingStatus", identity.feedbackForwarding());
        out.put("VerifiedForSendingStatus", identity.verifiedForSending());
        out.set("DkimAttributes", IdentityShape.dkim(identity.dkim()));
        identity.mailFrom()
                .domain()
                .ifPresent(domain -> out.putObject("MailFromAttributes")
                        .put("MailFromDomain", domain)
                        .put(
                                "MailFromDomainStatus",
                                identity.mailFrom().status().name())
                        .put(
                                "BehaviorOnMxFailure",
                                identity.mailFrom().behaviorOnMxFailure().name()));
        out.putObject("Policies");
        out.set("Tags", SesShapes.tagArray(tags.list(call.accountId(), ResourceType.IDENTITY, identity.name())));
        identity.configurationSetName().ifPresent(set -> out.put("ConfigurationSetName", set));
        out.put("VerificationStatus", identity.status().name());
        VerificationInfo info = identity.dkim().info();
        if (info.lastChecked().isPresent()) {
            ObjectNode verification = out.putObject("VerificationInfo");
            info.lastChecked().ifPresent(t -> verification.put("LastCheckedTimestamp", IdentityShape.seconds(t)));
            info.lastSuccess().ifPresent(t -> verification.put("LastSuccessTimestamp", IdentityShape.seconds(t)));
            info.error().ifPresent(e -> verification.put("ErrorType", e.name()));
        }
        return out;
    }
}
