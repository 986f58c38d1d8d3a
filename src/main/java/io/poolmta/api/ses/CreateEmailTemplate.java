package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.template.TemplateService;

/**
 * POST /v2/email/templates: a new template with its Tags; a syntax error in any part is a
 * BadRequest naming it.
 */
public final class CreateEmailTemplate implements SesOperation {
    private final TemplateService templates;

    public CreateEmailTemplate(TemplateService templates) {
        this.templates = templates;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        templates.create(
                call.accountId(),
                call.body().requiredString("TemplateName"),
                TemplateShapes.content(call.body(), "TemplateContent"),
                SesShapes.tags(call.body(), "Tags"));
        return SesShapes.empty();
    }
}
