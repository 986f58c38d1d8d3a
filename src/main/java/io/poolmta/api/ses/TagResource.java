package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.ApiException;
import io.poolmta.tag.TagService;

/** POST /v2/email/tags: ResourceArn and Tags. */
public final class TagResource implements SesOperation {
    private final TagService tags;

    public TagResource(TagService tags) {
        this.tags = tags;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        String arn = call.body().requiredString("ResourceArn");
        if (!call.body().has("Tags")) {
            throw ApiException.badRequest("Field 'Tags' is required.");
        }
        tags.tag(call.accountId(), arn, SesShapes.tags(call.body(), "Tags"));
        return SesShapes.empty();
    }
}
