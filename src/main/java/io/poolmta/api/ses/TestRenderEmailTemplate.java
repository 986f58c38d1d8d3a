package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.ApiException;
import io.poolmta.api.Json;
import io.poolmta.template.CompiledTemplate;
import io.poolmta.template.RenderedEmail;
import io.poolmta.template.RenderedMime;
import io.poolmta.template.RenderingFailure;
import io.poolmta.template.TemplateData;
import io.poolmta.template.TemplateService;

/**
 * POST /v2/email/templates/{TemplateName}/render: the template rendered with TemplateData, as MIME
 * text. A variable the data leaves without a value is a BadRequest that names it (a send would
 * publish a Rendering Failure event instead).
 */
public final class TestRenderEmailTemplate implements SesOperation {
    private final TemplateService templates;

    public TestRenderEmailTemplate(TemplateService templates) {
        this.templates = templates;
    }

    @Override
    public ObjectNode handle(SesCall call) {
        CompiledTemplate template = templates.compiled(call.accountId(), call.label("TemplateName"));
        TemplateData data = TemplateData.parse(call.body().requiredString("TemplateData"), "TemplateData");
        RenderedEmail rendered;
        try {
            rendered = templates.render(template, data);
        } catch (RenderingFailure failure) {
            throw ApiException.badRequest(failure.getMessage());
        }
        return Json.object().put("RenderedTemplate", RenderedMime.of(rendered));
    }
}
