package io.poolmta.tag;

import java.util.List;

/** Durable tags of one resource, kept in the order they were first set. */
public interface TagStore {
    List<Tag> list(String accountId, ResourceType type, String name);

    /** Adds or overwrites each tag by key. */
    void put(String accountId, ResourceType type, String name, List<Tag> tags);

    void remove(String accountId, ResourceType type, String name, List<String> keys);

    void removeAll(String accountId, ResourceType type, String name);
}
