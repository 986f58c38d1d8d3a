package io.poolmta.common;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets equal strings that many long-lived objects hold (destination domains, the last reply of
 * deferred tasks; account ids, pool names, senders and tags read back from the spool) share one
 * instance, so a queue of a million tasks does not keep a million copies of "gmail.com" or of one
 * "451 connection refused". Bounded: once {@code capacity} strings (optionals, lists) are known,
 * new ones are returned as they are. Thread-safe.
 */
public final class SharedStrings {
    private final ConcurrentHashMap<String, String> known = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Optional<String>> optionals = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<List<String>, List<String>> lists = new ConcurrentHashMap<>();
    private final int capacity;

    public SharedStrings(int capacity) {
        this.capacity = capacity;
    }

    public String share(String value) {
        String shared = known.get(value);
        if (shared != null) {
            return shared;
        }
        if (known.size() >= capacity) {
            return value;
        }
        shared = known.putIfAbsent(value, value);
        return shared == null ? value : shared;
    }

    /** {@code Optional.of(share(value))}, itself shared. */
    public Optional<String> optional(String value) {
        Optional<String> shared = optionals.get(value);
        if (shared != null) {
            return shared;
        }
        Optional<String> made = Optional.of(share(value));
        if (optionals.size() >= capacity) {
            return made;
        }
        shared = optionals.putIfAbsent(value, made);
        return shared == null ? made : shared;
    }

    /** An immutable copy of {@code values} with shared elements, itself shared when equal. */
    public List<String> list(List<String> values) {
        List<String> shared = lists.get(values);
        if (shared != null) {
            return shared;
        }
        List<String> made = List.copyOf(values.stream().map(this::share).toList());
        if (lists.size() >= capacity) {
            return made;
        }
        shared = lists.putIfAbsent(made, made);
        return shared == null ? made : shared;
    }
}
