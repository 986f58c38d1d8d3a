package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.ApiException;
import io.poolmta.api.Json;
import io.poolmta.common.Page;
import io.poolmta.suppression.SuppressedDestination;
import io.poolmta.suppression.SuppressionList;
import java.time.Instant;
import java.util.Optional;

/**
 * GET /v2/email/suppression/addresses?Reason=..&StartDate=..&EndDate=..&PageSize=..&NextToken=..:
 * the account's entries by address, filtered by reason (any of those given) and by the time they
 * were last updated (StartDate inclusive, EndDate exclusive), paged.
 */
public final class ListSuppressedDestinations implements SesOperation {
    private final SuppressionList list;

    public ListSuppressedDestinations(SuppressionList list) {
        this.list = list;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        Optional<Instant> start = SuppressionShapes.timestamp(call.query(), "StartDate");
        Optional<Instant> end = SuppressionShapes.timestamp(call.query(), "EndDate");
        if (start.isPresent() && end.isPresent() && end.get().isBefore(start.get())) {
            throw ApiException.badRequest("EndDate must not be before StartDate.");
        }
        Page<SuppressedDestination> page = list.list(
                call.accountId(), SuppressionShapes.reasons(call.query()), start, end, SesShapes.page(call.query()));
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("SuppressedDestinationSummaries");
        for (SuppressedDestination d : page.items()) {
            ObjectNode item = items.addObject();
            item.put("EmailAddress", d.emailAddress());
            item.put("Reason", d.reason().name());
            SuppressionShapes.timestamp(item, "LastUpdateTime", d.lastUpdateTime());
        }
        page.nextToken().ifPresent(t -> out.put("NextToken", t));
        return out;
    }
}
