package io.poolmta.common;

import java.util.List;
import java.util.Optional;

/** One page of a listing, and the key to continue after it when there is more. */
public record Page<T>(List<T> items, Optional<String> nextToken) {
    public Page {
        items = List.copyOf(items);
    }
}
