package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.template.TemplateService;

/** PUT /v2/email/templates/{TemplateName}: replaces the whole content, checked as at create. */
public final class UpdateEmailTemplate implements SesOperation {
    private final TemplateService templates;

    public UpdateEmailTemplate(TemplateService templates) {
        this.templates = templates;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        templates.update(
                call.accountId(), call.label("TemplateName"), TemplateShapes.content(call.body(), "TemplateContent"));
        return SesShapes.empty();
    }
}
