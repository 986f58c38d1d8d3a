package io.poolmta.events;

import java.util.List;
import java.util.Optional;

/** Durable event destinations. */
public interface EventDestinationStore {
    void insert(EventDestination destination);

    void update(EventDestination destination);

    void delete(String accountId, String configurationSet, String name);

    Optional<EventDestination> get(String accountId, String configurationSet, String name);

    /** The set's destinations, by name. */
    List<EventDestination> ofSet(String accountId, String configurationSet);
}
