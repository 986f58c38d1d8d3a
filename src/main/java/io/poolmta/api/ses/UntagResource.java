package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.ApiException;
import io.poolmta.tag.TagService;

/** DELETE /v2/email/tags?ResourceArn=...&TagKeys=k1&TagKeys=k2. */
public final class UntagResource implements SesOperation {
    private final TagService tags;

    public UntagResource(TagService tags) {
        this.tags = tags;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        String arn = call.query()
                .first("ResourceArn")
                .orElseThrow(() -> ApiException.badRequest("Query parameter ResourceArn is required."));
        tags.untag(call.accountId(), arn, call.query().all("TagKeys"));
        return SesShapes.empty();
    }
}
