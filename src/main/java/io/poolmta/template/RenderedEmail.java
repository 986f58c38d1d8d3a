package io.poolmta.template;

import java.util.Objects;
import java.util.Optional;

/** A template rendered with one destination's data: the subject and the text and HTML bodies it has. */
public record RenderedEmail(String subject, Optional<String> text, Optional<String> html) {
    public RenderedEmail {
        Objects.requireNonNull(subject);
        Objects.requireNonNull(text);
        Objects.requireNonNull(html);
    }
}
