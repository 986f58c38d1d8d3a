package io.poolmta.template;

import io.poolmta.common.PoolMtaException;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Optional;

/**
 * The three parts of a template (SES {@code EmailTemplateContent}): Subject, Text and Html, each
 * Handlebars source. Invariant: a Text or an Html part (a message needs a body); an absent Subject
 * renders as an empty subject.
 */
public record TemplateContent(Optional<String> subject, Optional<String> text, Optional<String> html) {

    public TemplateContent {
        Objects.requireNonNull(subject);
        Objects.requireNonNull(text);
        Objects.requireNonNull(html);
        if (text.isEmpty() && html.isEmpty()) {
            throw PoolMtaException.badRequest("TemplateContent must have a Text part, an Html part or both.");
        }
    }

    public static TemplateContent of(String subject, String text, String html) {
        return new TemplateContent(Optional.ofNullable(subject), Optional.ofNullable(text), Optional.ofNullable(html));
    }

    /** The size SES's template limit counts: the parts together, in UTF-8 bytes. */
    public long sizeBytes() {
        return bytes(subject) + bytes(text) + bytes(html);
    }

    private static long bytes(Optional<String> part) {
        return part.map(p -> (long) p.getBytes(StandardCharsets.UTF_8).length).orElse(0L);
    }
}
