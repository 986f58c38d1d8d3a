package io.poolmta.template;

import java.time.Instant;
import java.util.Objects;

/**
 * A stored template of one account. {@code version} starts at 1 and grows with every update, so a
 * compiled copy kept under (account, name, version) is never used after the template changed.
 */
public record EmailTemplate(String accountId, String name, TemplateContent content, Instant createdAt, long version) {
    public EmailTemplate {
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(name);
        Objects.requireNonNull(content);
        Objects.requireNonNull(createdAt);
    }

    public EmailTemplate withContent(TemplateContent newContent) {
        return new EmailTemplate(accountId, name, newContent, createdAt, version + 1);
    }
}
