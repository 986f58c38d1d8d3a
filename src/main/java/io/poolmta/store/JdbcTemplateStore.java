package io.poolmta.store;

import io.poolmta.template.EmailTemplate;
import io.poolmta.template.TemplateContent;
import io.poolmta.template.TemplateStore;
import io.poolmta.template.TemplateSummary;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Email templates in SQL, one row per template; listing pages by name in SQL. */
public final class JdbcTemplateStore implements TemplateStore {
    private final Jdbc jdbc;

    public JdbcTemplateStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public void insert(EmailTemplate t) {
        jdbc.update(
                "INSERT INTO email_templates (account_id, template_name, subject, text_part, html_part,"
                        + " created_at_ms, version) VALUES (?, ?, ?, ?, ?, ?, ?)",
                t.accountId(),
                t.name(),
                t.content().subject().orElse(null),
                t.content().text().orElse(null),
                t.content().html().orElse(null),
                t.createdAt().toEpochMilli(),
                t.version());
    }

    @Override
    public void update(EmailTemplate t) {
        jdbc.update(
                "UPDATE email_templates SET subject = ?, text_part = ?, html_part = ?, version = ?"
                        + " WHERE account_id = ? AND template_name = ?",
                t.content().subject().orElse(null),
                t.content().text().orElse(null),
                t.content().html().orElse(null),
                t.version(),
                t.accountId(),
                t.name());
    }

    @Override
    public void delete(String accountId, String name) {
        jdbc.update("DELETE FROM email_templates WHERE account_id = ? AND template_name = ?", accountId, name);
    }

    @Override
    public Optional<EmailTemplate> get(String accountId, String name) {
        return jdbc.queryOne(
                "SELECT * FROM email_templates WHERE account_id = ? AND template_name = ?",
                JdbcTemplateStore::template,
                accountId,
                name);
    }

    @Override
    public OptionalLong version(String accountId, String name) {
        Optional<Long> version = jdbc.queryOne(
                "SELECT version FROM email_templates WHERE account_id = ? AND template_name = ?",
                rs -> rs.getLong(1),
                accountId,
                name);
        return version.map(OptionalLong::of).orElseGet(OptionalLong::empty);
    }

    @Override
    public List<TemplateSummary> list(String accountId, Optional<String> after, int limit) {
        return jdbc.query(
                "SELECT template_name, created_at_ms FROM email_templates WHERE account_id = ?"
                        + " AND template_name > ? ORDER BY template_name LIMIT ?",
                rs -> new TemplateSummary(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2))),
                accountId,
                after.orElse(""),
                limit);
    }

    @Override
    public int count(String accountId) {
        return jdbc.queryOne("SELECT COUNT(*) FROM email_templates WHERE account_id = ?", rs -> rs.getInt(1), accountId)
                .orElse(0);
    }

    private static EmailTemplate template(ResultSet rs) throws SQLException {
        TemplateContent content = new TemplateContent(
                Jdbc.optionalString(rs, "subject"),
                Jdbc.optionalString(rs, "text_part"),
                Jdbc.optionalString(rs, "html_part"));
        return new EmailTemplate(
                rs.getString("account_id"),
                rs.getString("template_name"),
                content,
                Instant.ofEpochMilli(rs.getLong("created_at_ms")),
                rs.getLong("version"));
    }
}
