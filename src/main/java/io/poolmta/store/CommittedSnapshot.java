package io.poolmta.store;

import java.util.List;
import java.util.function.Supplier;

/**
 * A read cache over committed data: the value is loaded once and served from memory until a write
 * to one of its tables commits ({@link Jdbc#generation} moves), then loaded again on next use.
 * Readers inside a write transaction bypass it, so they see their own changes. Suited to small,
 * hot, rarely written tables (sending IPs, pools, routes, event destinations) read on every message.
 * List every table the value depends on, including tables whose rows a cascade can delete.
 */
final class CommittedSnapshot<T> {
    private record Loaded<T>(long generation, T value) {}

    private final Jdbc jdbc;
    private final List<String> tables;
    private final Supplier<T> loader;
    private volatile Loaded<T> loaded;

    CommittedSnapshot(Jdbc jdbc, List<String> tables, Supplier<T> loader) {
        this.jdbc = jdbc;
        this.tables = List.copyOf(tables);
        this.loader = loader;
    }

    T get() {
        if (jdbc.inTransaction()) {
            return loader.get();
        }
        Loaded<T> now = loaded;
        long generation = jdbc.generation(tables);
        if (now == null || now.generation() != generation) {
            // read the generation before loading: a write committing meanwhile makes this copy stale at once
            now = new Loaded<>(generation, loader.get());
            loaded = now;
        }
        return now.value();
    }
}
