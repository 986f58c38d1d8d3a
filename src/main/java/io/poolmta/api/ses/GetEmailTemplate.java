package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.Json;
import io.poolmta.template.EmailTemplate;
import io.poolmta.template.TemplateService;

/** GET /v2/email/templates/{TemplateName}: the template's name, content and tags. */
public final class GetEmailTemplate implements SesOperation {
    private final TemplateService templates;

    public GetEmailTemplate(TemplateService templates) {
        this.templates = templates;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        EmailTemplate template = templates.get(call.accountId(), call.label("TemplateName"));
        ObjectNode out = Json.object();
        out.put("TemplateName", template.name());
        out.set("TemplateContent", TemplateShapes.contentNode(template.content()));
        out.set("Tags", SesShapes.tagArray(templates.tags(call.accountId(), template.name())));
        return out;
    }
}
