package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.Json;
import io.poolmta.common.Page;
import io.poolmta.common.PageRequest;
import io.poolmta.identity.EmailIdentity;
import io.poolmta.identity.IdentityService;

/**
 * ListEmailIdentities: the account's identities in name order, paged. Older clients send
 * {@code GET /v2/email/identities} with PageSize and NextToken in the query; current ones (AWS SDK
 * for Java 2.57+) send {@code POST /v2/email/list-identities} with them in the JSON body.
 */
public final class ListEmailIdentities implements SesOperation {
    private final IdentityService identities;
    private final boolean inBody;

    private ListEmailIdentities(IdentityService identities, boolean inBody) {
        this.identities = identities;
        this.inBody = inBody;
    }

    public static ListEmailIdentities fromQuery(IdentityService identities) {
        return new ListEmailIdentities(identities, false);
    }

    public static ListEmailIdentities fromBody(IdentityService identities) {
        return new ListEmailIdentities(identities, true);
    }

    @Override
    public ObjectNode handle(SesCall call) {
        PageRequest request = inBody
                ? PageRequest.of(
                        call.body().optionalInteger("PageSize"), call.body().optionalString("NextToken"))
                : SesShapes.page(call.query());
        Page<EmailIdentity> page = identities.list(call.accountId(), request);
        ObjectNode out = Json.object();
        ArrayNode list = out.putArray("EmailIdentities");
        for (EmailIdentity identity : page.items()) {
            list.addObject()
                    .put("IdentityType", identity.type().name())
                    .put("IdentityName", identity.name())
                    .put("SendingEnabled", identity.verifiedForSending())
                    .put("VerificationStatus", identity.status().name());
        }
        page.nextToken().ifPresent(t -> out.put("NextToken", t));
        return out;
    }
}
