package io.poolmta.events;

/**
 * Something inside PoolMTA that watches every published event (reputation counters, the
 * suppression list), called by the {@link EventDispatcher} after the event is logged, on the
 * publishing thread. It must be quick and must not throw; a tap that throws is logged and counted
 * as a failure, and the other taps still see the event.
 */
@FunctionalInterface
public interface EventTap {
    void observe(MailEvent event);
}
