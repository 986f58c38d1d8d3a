package io.poolmta.spool;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Makes equal strings read back from the log share one instance (account ids, pool and
 * configuration set names, senders, tag names and values repeat across thousands of messages), so
 * a recovered queue of a million messages does not hold a million copies of each. Bounded: once
 * full, new strings are returned as they are. Not thread-safe; one per recovery.
 */
final class Interner {
    private static final int MAX_ENTRIES = 1 << 16;

    private final Map<String, String> strings = new HashMap<>();
    private final Map<String, Optional<String>> optionals = new HashMap<>();
    private final Map<List<String>, List<String>> lists = new HashMap<>();

    String string(String value) {
        String known = strings.get(value);
        if (known != null) {
            return known;
        }
        if (strings.size() < MAX_ENTRIES) {
            strings.put(value, value);
        }
        return value;
    }

    Optional<String> optional(String value) {
        Optional<String> known = optionals.get(value);
        if (known != null) {
            return known;
        }
        Optional<String> made = Optional.of(string(value));
        if (optionals.size() < MAX_ENTRIES) {
            optionals.put(value, made);
        }
        return made;
    }

    /** An immutable copy of {@code values} with interned elements, itself shared when equal. */
    List<String> strings(List<String> values) {
        List<String> known = lists.get(values);
        if (known != null) {
            return known;
        }
        List<String> made = List.copyOf(values.stream().map(this::string).toList());
        if (lists.size() < MAX_ENTRIES) {
            lists.put(made, made);
        }
        return made;
    }
}
