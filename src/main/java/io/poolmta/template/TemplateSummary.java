package io.poolmta.template;

import java.time.Instant;

/** One line of ListEmailTemplates: a template's name and when it was created. */
public record TemplateSummary(String name, Instant createdAt) {}
