package io.poolmta.store;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The SQL the two databases write differently. Almost every statement is standard SQL both accept;
 * only an insert-or-replace by key is not (H2's {@code MERGE INTO ... KEY}, PostgreSQL's
 * {@code INSERT ... ON CONFLICT}), and one migration has a twin per database.
 */
public enum Dialect {
    H2("h2"),
    POSTGRESQL("postgresql");

    private final String migrations;

    Dialect(String migrations) {
        this.migrations = migrations;
    }

    /** Flyway locations: the scripts both run, then this database's own. */
    List<String> migrationLocations() {
        return List.of("classpath:db/migration", "classpath:db/dialect/" + migrations);
    }

    /** Inserts a row, or replaces the non-key columns of the row with the same key. */
    public String upsert(String table, List<String> keys, List<String> columns) {
        String placeholders = columns.stream().map(c -> "?").collect(Collectors.joining(", "));
        String names = String.join(", ", columns);
        return switch (this) {
            case H2 ->
                "MERGE INTO " + table + " (" + names + ") KEY (" + String.join(", ", keys) + ") VALUES (" + placeholders
                        + ")";
            case POSTGRESQL -> {
                String updates = columns.stream()
                        .filter(c -> !keys.contains(c))
                        .map(c -> c + " = EXCLUDED." + c)
                        .collect(Collectors.joining(", "));
                yield "INSERT INTO " + table + " (" + names + ") VALUES (" + placeholders + ") ON CONFLICT ("
                        + String.join(", ", keys) + ") DO " + (updates.isEmpty() ? "NOTHING" : "UPDATE SET " + updates);
            }
        };
    }
}
