package io.poolmta.events;

/**
 * Sees every event the {@link EventDispatcher} publishes, after it is in the server log: for
 * counting (metrics, volumes). It runs on the publishing thread (the delivery path), so it must be
 * quick; a tap that throws is logged and does not keep the event from the other taps.
 */
@FunctionalInterface
public interface EventTap {
    void observe(MailEvent event);
}
