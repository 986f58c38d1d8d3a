package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.suppression.SuppressionList;

/** DELETE /v2/email/suppression/addresses/{EmailAddress}: NotFound when the address is not listed. */
public final class DeleteSuppressedDestination implements SesOperation {
    private final SuppressionList list;

    public DeleteSuppressedDestination(SuppressionList list) {
        this.list = list;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        list.delete(call.accountId(), call.label("EmailAddress"));
        return SesShapes.empty();
    }
}
