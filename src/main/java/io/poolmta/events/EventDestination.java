package io.poolmta.events;

import java.util.Objects;
import java.util.Set;

/**
 * A named event destination of a configuration set. {@code target} is the webhook URL, or for a
 * file the file's name (events/ACCOUNT/NAME.jsonl in the data directory).
 */
public record EventDestination(
        String accountId,
        String configurationSet,
        String name,
        boolean enabled,
        Set<EventType> matchingTypes,
        DestinationKind kind,
        String target) {

    public EventDestination {
        Objects.requireNonNull(accountId);
        Objects.requireNonNull(configurationSet);
        Objects.requireNonNull(name);
        matchingTypes = Set.copyOf(matchingTypes);
        Objects.requireNonNull(kind);
        Objects.requireNonNull(target);
    }

    public boolean wants(EventType type) {
        return enabled && matchingTypes.contains(type);
    }
}
