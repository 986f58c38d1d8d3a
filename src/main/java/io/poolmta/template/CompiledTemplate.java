package io.poolmta.template;

import com.github.jknack.handlebars.Template;
import java.util.Objects;
import java.util.Optional;

/**
 * A template's parts compiled once by the {@link TemplateEngine}, ready to render any number of
 * messages concurrently. {@code name} is what failures report (SES's {@code templateName}).
 */
public record CompiledTemplate(
        String name, Optional<Template> subject, Optional<Template> text, Optional<Template> html) {
    public CompiledTemplate {
        Objects.requireNonNull(name);
        Objects.requireNonNull(subject);
        Objects.requireNonNull(text);
        Objects.requireNonNull(html);
    }
}
