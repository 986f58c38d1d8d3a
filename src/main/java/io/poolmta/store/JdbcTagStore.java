package io.poolmta.store;

import io.poolmta.tag.ResourceType;
import io.poolmta.tag.Tag;
import io.poolmta.tag.TagStore;
import java.util.List;

/** Tags in SQL, kept in the order their keys were first set. */
public final class JdbcTagStore implements TagStore {
    private final Jdbc jdbc;

    public JdbcTagStore(Jdbc jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public List<Tag> list(String accountId, ResourceType type, String name) {
        return jdbc.query(
                "SELECT tag_key, tag_value FROM resource_tags WHERE account_id = ? AND resource_type = ?"
                        + " AND resource_name = ? ORDER BY tag_order, tag_key",
                rs -> new Tag(rs.getString(1), rs.getString(2)),
                accountId,
                type.name(),
                name);
    }

    @Override
    public void put(String accountId, ResourceType type, String name, List<Tag> tags) {
        jdbc.write(() -> {
            long next = jdbc.queryOne(
                            "SELECT COALESCE(MAX(tag_order), 0) FROM resource_tags WHERE account_id = ?"
                                    + " AND resource_type = ? AND resource_name = ?",
                            rs -> rs.getLong(1),
                            accountId,
                            type.name(),
                            name)
                    .orElse(0L);
            for (Tag tag : tags) {
                int changed = jdbc.update(
                        "UPDATE resource_tags SET tag_value = ? WHERE account_id = ? AND resource_type = ?"
                                + " AND resource_name = ? AND tag_key = ?",
                        tag.value(),
                        accountId,
                        type.name(),
                        name,
                        tag.key());
                if (changed == 0) {
                    jdbc.update(
                            "INSERT INTO resource_tags (account_id, resource_type, resource_name, tag_key, tag_value,"
                                    + " tag_order) VALUES (?, ?, ?, ?, ?, ?)",
                            accountId,
                            type.name(),
                            name,
                            tag.key(),
                            tag.value(),
                            ++next);
                }
            }
            return null;
        });
    }

    @Override
    public void remove(String accountId, ResourceType type, String name, List<String> keys) {
        for (String key : keys) {
            jdbc.update(
                    "DELETE FROM resource_tags WHERE account_id = ? AND resource_type = ? AND resource_name = ?"
                            + " AND tag_key = ?",
                    accountId,
                    type.name(),
                    name,
                    key);
        }
    }

    @Override
    public void removeAll(String accountId, ResourceType type, String name) {
        jdbc.update(
                "DELETE FROM resource_tags WHERE account_id = ? AND resource_type = ? AND resource_name = ?",
                accountId,
                type.name(),
                name);
    }
}
