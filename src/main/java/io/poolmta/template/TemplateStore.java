package io.poolmta.template;

import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Durable templates, per account. */
public interface TemplateStore {
    void insert(EmailTemplate template);

    /** Replaces the content and version of an existing template. */
    void update(EmailTemplate template);

    void delete(String accountId, String name);

    Optional<EmailTemplate> get(String accountId, String name);

    /** The template's version without its content (what a send checks against the compiled copy). */
    OptionalLong version(String accountId, String name);

    /** Up to {@code limit} templates of the account whose names sort after {@code after}, by name. */
    List<TemplateSummary> list(String accountId, Optional<String> after, int limit);

    int count(String accountId);
}
