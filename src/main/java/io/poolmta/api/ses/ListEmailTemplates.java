package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.Json;
import io.poolmta.common.Page;
import io.poolmta.template.TemplateService;
import io.poolmta.template.TemplateSummary;

/** GET /v2/email/templates?PageSize=..&NextToken=..: names and creation times, by name, paged. */
public final class ListEmailTemplates implements SesOperation {
    private final TemplateService templates;

    public ListEmailTemplates(TemplateService templates) {
        this.templates = templates;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        Page<TemplateSummary> page = templates.list(call.accountId(), SesShapes.page(call.query()));
        ObjectNode out = Json.object();
        ArrayNode items = out.putArray("TemplatesMetadata");
        for (TemplateSummary summary : page.items()) {
            ObjectNode item = items.addObject().put("TemplateName", summary.name());
            TemplateShapes.timestamp(item, "CreatedTimestamp", summary.createdAt());
        }
        page.nextToken().ifPresent(t -> out.put("NextToken", t));
        return out;
    }
}
