package io.poolmta.events;

/** Where a destination sends events: an HTTP(S) webhook, or a JSON-lines file in the data directory. */
public enum DestinationKind {
    WEBHOOK,
    FILE
}
