package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.suppression.SuppressionList;
import io.poolmta.suppression.SuppressionReason;

/** PUT /v2/email/suppression/addresses: adds an address to the account's list, or replaces its reason. */
public final class PutSuppressedDestination implements SesOperation {
    private final SuppressionList list;

    public PutSuppressedDestination(SuppressionList list) {
        this.list = list;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        String address = call.body().requiredString("EmailAddress");
        SuppressionReason reason = SuppressionReason.parse(call.body().requiredString("Reason"), "Reason");
        call.body().optionalString("TenantName");
        list.put(call.accountId(), address, reason);
        return SesShapes.empty();
    }
}
