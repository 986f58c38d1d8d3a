package io.poolmta.nodelink;

import io.poolmta.spool.SpooledMessage;

/**
 * What the receiving node does with a message handed over to it: store it in its spool (returning
 * only after the fsync) and queue it for delivery from its own addresses. Throws when the message
 * is not stored (a full disk, a full queue, the same message id still pending here); the link then
 * answers RETRY and the sender keeps the message.
 */
@FunctionalInterface
public interface HandOverReceiver {
    void receive(String fromNode, SpooledMessage message, int attempts);
}
