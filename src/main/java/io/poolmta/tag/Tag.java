package io.poolmta.tag;

import io.poolmta.common.PoolMtaException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** A key/value tag. Keys are 1–128 characters, values 0–256, at most 50 tags on a resource. */
public record Tag(String key, String value) {
    public static final int MAX_TAGS = 50;

    public Tag {
        if (key == null || key.isEmpty() || key.length() > 128) {
            throw PoolMtaException.badRequest("Tag keys must be 1-128 characters long.");
        }
        if (value == null) {
            throw PoolMtaException.badRequest("Tag " + key + " needs a Value (it may be empty).");
        }
        if (value.length() > 256) {
            throw PoolMtaException.badRequest("The value of tag " + key + " is longer than 256 characters.");
        }
        if (key.startsWith("aws:")) {
            throw PoolMtaException.badRequest("Tag keys starting with 'aws:' are reserved.");
        }
    }

    /** Checks a list given in one request: no key twice. */
    public static List<Tag> requireDistinctKeys(List<Tag> tags) {
        Set<String> seen = new HashSet<>();
        for (Tag tag : tags) {
            if (!seen.add(tag.key())) {
                throw PoolMtaException.badRequest("Tag key " + tag.key() + " appears more than once.");
            }
        }
        if (tags.size() > MAX_TAGS) {
            throw PoolMtaException.badRequest("A resource can have at most " + MAX_TAGS + " tags.");
        }
        return tags;
    }
}
