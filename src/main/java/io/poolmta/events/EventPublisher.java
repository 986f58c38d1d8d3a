package io.poolmta.events;

/** Publishes an event to the server log and to the destinations of the message's configuration set. Never throws. */
@FunctionalInterface
public interface EventPublisher {
    void publish(MailEvent event);
}
