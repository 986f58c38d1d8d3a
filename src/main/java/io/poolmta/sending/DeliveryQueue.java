package io.poolmta.sending;

import io.poolmta.spool.StoredMessage;

/**
 * Where an accepted message goes once it is on stable storage: the delivery side's queue. The
 * message is already durable when it is handed over, so a queue that is stopped or restarted
 * finds it again in the spool.
 */
@FunctionalInterface
public interface DeliveryQueue {
    void submit(StoredMessage message);
}
