package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.ApiException;
import io.poolmta.api.Json;
import io.poolmta.tag.TagService;

/** GET /v2/email/tags?ResourceArn=...: the resource's tags. */
public final class ListTagsForResource implements SesOperation {
    private final TagService tags;

    public ListTagsForResource(TagService tags) {
        this.tags = tags;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        String arn = call.query()
                .first("ResourceArn")
                .orElseThrow(() -> ApiException.badRequest("Query parameter ResourceArn is required."));
        ObjectNode out = Json.object();
        out.set("Tags", SesShapes.tagArray(tags.list(call.accountId(), arn)));
        return out;
    }
}
