package io.poolmta.api.ses;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.poolmta.api.ApiException;
import io.poolmta.api.Json;
import io.poolmta.api.JsonInput;
import io.poolmta.message.MessageHeader;
import io.poolmta.template.TemplateContent;
import io.poolmta.template.TemplateData;
import io.poolmta.template.TemplateRef;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Shapes of the template operations and of Template content in sends. */
final class TemplateShapes {
    private TemplateShapes() {}

    /** EmailTemplateContent {Subject, Text, Html}; {@code field} names it in errors. */
    static TemplateContent content(JsonInput body, String field) {
        JsonInput content = body.optionalObject(field)
                .orElseThrow(() -> ApiException.badRequest("Field '" + field + "' is required."));
        return new TemplateContent(
                content.optionalString("Subject"), content.optionalString("Text"), content.optionalString("Html"));
    }

    static ObjectNode contentNode(TemplateContent content) {
        ObjectNode out = Json.object();
        content.subject().ifPresent(s -> out.put("Subject", s));
        content.text().ifPresent(t -> out.put("Text", t));
        content.html().ifPresent(h -> out.put("Html", h));
        return out;
    }

    /** Which template a Template object names: TemplateName, TemplateArn or TemplateContent. */
    static TemplateRef ref(JsonInput template) {
        Optional<TemplateContent> inline =
                template.has("TemplateContent") ? Optional.of(content(template, "TemplateContent")) : Optional.empty();
        return TemplateRef.of(template.optionalString("TemplateName"), template.optionalString("TemplateArn"), inline);
    }

    /** TemplateData of a Template object (none: no values). */
    static TemplateData data(JsonInput template, String field, String path) {
        return template.optionalString(field)
                .map(json -> TemplateData.parse(json, path))
                .orElse(TemplateData.EMPTY);
    }

    static List<MessageHeader> headers(JsonInput input, String field) {
        return input.optionalList(field, e -> {
                    JsonInput h = e.object();
                    return new MessageHeader(h.requiredString("Name"), h.requiredString("Value"));
                })
                .orElse(List.of());
    }

    /** A timestamp as the SDKs read it: epoch seconds, with milliseconds as a fraction. */
    static void timestamp(ObjectNode out, String field, Instant t) {
        long ms = t.toEpochMilli();
        if (ms % 1000 == 0) {
            out.put(field, ms / 1000);
        } else {
            out.put(field, BigDecimal.valueOf(ms, 3));
        }
    }
}
