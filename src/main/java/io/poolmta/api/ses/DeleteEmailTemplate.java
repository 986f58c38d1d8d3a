package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.template.TemplateService;

/** DELETE /v2/email/templates/{TemplateName}. */
public final class DeleteEmailTemplate implements SesOperation {
    private final TemplateService templates;

    public DeleteEmailTemplate(TemplateService templates) {
        this.templates = templates;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        templates.delete(call.accountId(), call.label("TemplateName"));
        return SesShapes.empty();
    }
}
