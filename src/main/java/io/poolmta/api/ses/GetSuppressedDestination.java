package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.Json;
import io.poolmta.suppression.SuppressedDestination;
import io.poolmta.suppression.SuppressionList;

/** GET /v2/email/suppression/addresses/{EmailAddress}: the entry, or NotFound when it is not listed. */
public final class GetSuppressedDestination implements SesOperation {
    private final SuppressionList list;

    public GetSuppressedDestination(SuppressionList list) {
        this.list = list;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        SuppressedDestination d = list.get(call.accountId(), call.label("EmailAddress"));
        ObjectNode out = Json.object();
        ObjectNode entry = out.putObject("SuppressedDestination");
        entry.put("EmailAddress", d.emailAddress());
        entry.put("Reason", d.reason().name());
        SuppressionShapes.timestamp(entry, "LastUpdateTime", d.lastUpdateTime());
        if (d.messageId().isPresent() || d.feedbackId().isPresent()) {
            ObjectNode attributes = entry.putObject("Attributes");
            d.messageId().ifPresent(id -> attributes.put("MessageId", id));
            d.feedbackId().ifPresent(id -> attributes.put("FeedbackId", id));
        }
        return out;
    }
}
