package io.poolmta.events;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A listener that sees every published event, after the event log and the configuration set's
 * destinations got it: how features that act on events (the suppression list, counters) hear of
 * them without the publisher knowing them. A tap runs on the publishing thread, so it must be quick;
 * an exception it throws is logged and never reaches the publisher's caller or the other taps.
 */
@FunctionalInterface
public interface EventTap {
    void seen(MailEvent event);

    /** A publisher that publishes to {@code publisher}, then shows the event to each tap in order. */
    static EventPublisher tapped(EventPublisher publisher, List<EventTap> taps) {
        List<EventTap> all = List.copyOf(taps);
        Logger log = LoggerFactory.getLogger(EventTap.class);
        return event -> {
            publisher.publish(event);
            for (EventTap tap : all) {
                try {
                    tap.seen(event);
                } catch (RuntimeException e) {
                    log.warn(
                            "an event listener failed on a {} event of {}",
                            event.type(),
                            event.envelope().messageId(),
                            e);
                }
            }
        };
    }
}
